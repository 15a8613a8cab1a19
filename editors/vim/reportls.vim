" reportls (the MLOps exam report checker) in Vim with ALE (https://github.com/dense-analysis/ale).
" In your vimrc, with ALE on the runtimepath (Debian/Ubuntu's vim-ale: `packadd! ale` first):
"   source /path/to/reportls/editors/vim/reportls.vim
" The `reportls` command must be on $PATH (or change 'executable' to its full path).

" The project root: the nearest folder with report.py, .reportls.yaml or .git, else the file's folder.
function! ReportlsProjectRoot(buffer) abort
    for l:marker in ['report.py', '.reportls.yaml']
        let l:found = ale#path#FindNearestFile(a:buffer, l:marker)
        if !empty(l:found)
            return fnamemodify(l:found, ':h')
        endif
    endfor
    let l:git = ale#path#FindNearestDirectory(a:buffer, '.git')
    return !empty(l:git) ? fnamemodify(l:git, ':h:h') : expand('#' . a:buffer . ':p:h')
endfunction

call ale#linter#Define('markdown', {
\   'name': 'reportls',
\   'lsp': 'stdio',
\   'executable': 'reportls',
\   'command': '%e serve',
\   'project_root': function('ReportlsProjectRoot'),
\})
