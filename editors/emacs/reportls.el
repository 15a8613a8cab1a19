;;; reportls.el --- reportls (the MLOps exam report checker) in Emacs with eglot  -*- lexical-binding: t; -*-

;; Load this file from your init file, or copy the forms into it:
;;   (load "/path/to/reportls/editors/emacs/reportls.el")
;; Needs eglot (built into Emacs 29; Debian/Ubuntu: elpa-eglot) and markdown-mode
;; (elpa-markdown-mode).  The `reportls' command must be on `exec-path' (or write its full path).

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((markdown-mode gfm-mode) . ("reportls" "serve"))))

;; Start reportls in every Markdown buffer (it answers only for the report, reports/README.md):
(add-hook 'markdown-mode-hook #'eglot-ensure)
(add-hook 'gfm-mode-hook #'eglot-ensure)

;;; reportls.el ends here
