;;; emacs_probe.el --- driven by test_emacs.py  -*- lexical-binding: t; -*-
;; Open a report in real Emacs (batch) with editors/emacs/reportls.el, as a user's init would load it,
;; wait for reportls's diagnostics (flymake), ask for a hover, apply a code action through
;; `eglot-code-actions', complete a figure path with `completion-at-point', and write what came
;; back as JSON to $REPORTLS_PROBE_OUT.  The code action comes before any typing: flymake
;; restarts on an idle timer, and a batch Emacs is never idle.
(require 'package)
(package-initialize)  ; Debian's elpa-* packages
(require 'cl-lib)
(require 'json)
(require 'subr-x)

(defvar probe-result nil)
(defun probe-put (key value) (push (cons key value) probe-result))
(defun probe-finish ()
  (with-temp-file (getenv "REPORTLS_PROBE_OUT")
    (insert (json-encode probe-result)))
  (kill-emacs 0))
(defun probe-wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))
(defun probe-line () (buffer-substring-no-properties (line-beginning-position) (line-end-position)))
(defun probe-goto (text &optional after)
  (let ((case-fold-search nil))
    (goto-char (point-min))
    (when after (search-forward after))
    (search-forward text)
    (goto-char (match-beginning 0))))

(condition-case err
    (progn
      (require 'markdown-mode)
      (when (getenv "REPORTLS_PROBE_PLAIN")
        ;; eglot offers Markdown hovers only when markdown-mode has `gfm-view-mode'
        (fmakunbound 'gfm-view-mode))
      (load (getenv "REPORTLS_PROBE_CONFIG") nil t)
      (require 'eglot)
      (find-file (getenv "REPORTLS_PROBE_REPORT"))
      (probe-put 'major_mode (symbol-name major-mode))
      ;; `eglot-ensure' (from markdown-mode-hook) connects after the next command
      (run-hooks 'post-command-hook)
      (unless (probe-wait #'eglot-current-server 20)
        (error "no eglot server for the report"))
      (let ((server (eglot-current-server)))
        (probe-put 'server_name (plist-get (eglot--server-info server) :name))
        (unless (probe-wait (lambda () (flymake-diagnostics)) 30)
          (error "no diagnostics within 30 s"))
        (probe-put 'diagnostics
                   (mapcar (lambda (d)
                             `((line . ,(line-number-at-pos (flymake-diagnostic-beg d)))
                               (col . ,(save-excursion (goto-char (flymake-diagnostic-beg d)) (current-column)))
                               (type . ,(symbol-name (flymake-diagnostic-type d)))
                               (text . ,(flymake-diagnostic-text d))))
                           (flymake-diagnostics)))
        ;; hover on "### Question 7": what the server sent, and what eglot shows
        (probe-goto "### Question 7")
        (forward-char 5)
        (let* ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
               (contents (plist-get hover :contents)))
          (probe-put 'hover_kind (plist-get contents :kind))
          (probe-put 'hover_value (plist-get contents :value))
          (probe-put 'hover_shown (substring-no-properties (eglot--hover-info contents))))
        ;; a code action on the link with the wrong letter case, chosen as a user would
        (probe-goto "figures/WANDB.png")
        (unless (probe-wait (lambda () (flymake-diagnostics (point) (1+ (point)))) 10)
          (error "no diagnostic on the miscased link"))
        (let* ((beg (point)) (end (+ beg (length "figures/WANDB.png")))
               (actions (eglot-code-actions beg end "quickfix")))
          (probe-put 'actions (mapcar (lambda (a) (plist-get a :title)) actions))
          (let ((last-nonmenu-event 13)  ; a key, not a mouse click: eglot asks with completing-read
                (wanted (plist-get (car actions) :title)))
            (cl-letf (((symbol-function 'completing-read) (lambda (&rest _) wanted)))
              (eglot-code-actions beg end "quickfix" t)))
          (goto-char beg)
          (probe-put 'fixed_line (probe-line)))
        ;; completion: type a path on a new line before question 20, complete at "figures/wa"
        (probe-goto "### Question 20")
        (insert "![new](figures/wa\n")
        (forward-line -1)
        (end-of-line)
        (let* ((resp (jsonrpc-request server :textDocument/completion (eglot--CompletionParams)
                                      :deferred :textDocument/completion))
               (items (append (if (vectorp resp) resp (plist-get resp :items)) nil)))
          (probe-put 'completion
                     (mapcar (lambda (item)
                               (let ((edit (plist-get item :textEdit)))
                                 `((label . ,(plist-get item :label))
                                   (newText . ,(plist-get edit :newText))
                                   (start . ,(plist-get (plist-get (plist-get edit :range) :start) :character))
                                   (end . ,(plist-get (plist-get (plist-get edit :range) :end) :character)))))
                             items)))
        (completion-at-point)  ; one candidate: inserted, then eglot applies its text edit
        (probe-put 'completed_line (probe-line))
        (probe-put 'errors [])))
  (error (probe-put 'errors (vector (error-message-string err)))))
(probe-finish)
