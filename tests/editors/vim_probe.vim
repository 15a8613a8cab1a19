" Driven by test_vim.py: real Vim (silent Ex mode) with Debian's ALE and editors/vim/reportls.vim,
" as a vimrc would load them.  Waits for reportls's diagnostics in ALE's loclist, shows a hover
" (:ALEHover, to ALE's preview window), runs ALE's completion (its own prefix filter), applies a
" code action through ale#codefix#Execute (the number typed at its prompt: 1), and writes what came
" back as JSON to $REPORTLS_PROBE_OUT.
set nocompatible
packadd ale
let g:ale_linters = {'markdown': ['reportls']}
let g:ale_hover_to_preview = 1
execute 'source' fnameescape($REPORTLS_PROBE_CONFIG)
filetype plugin on

let s:out = {'errors': []}

function! s:Wait(expr, seconds) abort
    let l:start = reltime()
    while !eval(a:expr) && reltimefloat(reltime(l:start)) < a:seconds
        sleep 50m
    endwhile
    return eval(a:expr)
endfunction

function! s:Goto(text) abort
    call cursor(1, 1)
    call search('\V\C' . escape(a:text, '\'), 'cW')
endfunction

function! s:Completed(results) abort
    let s:completion = a:results
endfunction

" ALE asks which code action with input(): answer 1.  Ex mode has no Insert mode, where ALE keeps
" completion results only: say it is in Insert mode.
runtime autoload/ale/util.vim
function! ale#util#Input(message, value, ...) abort
    let s:out.action_prompt = a:message
    return '1'
endfunction
function! ale#util#Mode(...) abort
    return 'i'
endfunction

function! s:Probe() abort
    execute 'edit' fnameescape($REPORTLS_PROBE_REPORT)
    let s:out.filetype = &filetype
    let s:out.root = ReportlsProjectRoot(bufnr(''))
    let l:buffer = bufnr('')
    if !s:Wait('!empty(ale#engine#GetLoclist(' . l:buffer . '))', 30)
        call add(s:out.errors, 'no diagnostics within 30 s')
        return
    endif
    let s:out.diagnostics = map(copy(ale#engine#GetLoclist(l:buffer)),
    \   {_, d -> {'lnum': d.lnum, 'col': d.col, 'type': d.type, 'text': d.text, 'code': get(d, 'code', ''),
    \             'linter': d.linter_name}})

    " hover on "### Question 7"
    call s:Goto('### Question 7')
    normal! 5l
    ALEHover
    if s:Wait('!empty(filter(getbufinfo(), {_, b -> getbufvar(b.bufnr, "&filetype") is# "ale-preview.message"}))', 10)
        let l:preview = filter(getbufinfo(), {_, b -> getbufvar(b.bufnr, '&filetype') is# 'ale-preview.message'})[0]
        let s:out.hover = getbufline(l:preview.bufnr, 1, '$')
        pclose
    endif

    " a code action on the link with the wrong letter case
    call s:Goto('figures/WANDB.png')
    call ale#codefix#Execute(0)
    call s:Wait('getline(".") is# "![w](figures/wandb.png)"', 10)
    let s:out.fixed_line = getline('.')

    " completion after "figures/wa" on a new line before question 20: ALE keeps the items whose text
    " starts with its prefix (the word before the cursor)
    call s:Goto('### Question 20')
    call append(line('.') - 1, '![new](figures/wa')
    let l:line = line('.') - 1
    call cursor(l:line, 1)
    let s:completion = v:null
    " the cursor after "wa", as in Insert mode (Normal mode cannot go past the last character)
    call ale#completion#GetCompletions('ale-callback', {'callback': function('s:Completed'),
    \   'line': l:line, 'column': len('![new](figures/wa') + 1})
    let s:out.prefix = get(get(b:, 'ale_completion_info', {}), 'prefix', v:null)
    call s:Wait('s:completion isnot v:null', 10)
    let s:out.completion = s:completion is v:null ? v:null : map(copy(s:completion), {_, c -> c.word})
endfunction

try
    call s:Probe()
catch
    call add(s:out.errors, v:exception . ' at ' . v:throwpoint)
endtry
call writefile([json_encode(s:out)], $REPORTLS_PROBE_OUT)
qall!
