"""Messages the page shows for Gradio's own checks, in Chinese (issue 13, point 5)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import gradio as gr

from bot import describe_supported


def shown(message: str, title: str) -> gr.Error:
    """A message box for the user. Gradio renders the message as HTML, and messages can quote questions
    and file names, so it is escaped; these are expected errors, so no traceback on the console."""
    return gr.Error(html.escape(message, quote=False), title=title, print_exception=False)


# Markdown/HTML specials a file name may hold ("<img src=x onerror=…>.txt", "*", "_", "[").
_MARKDOWN_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_{}[]()#+-.!|~>"})


def markdown_text(value: str) -> str:
    """A name or message shown as literal text inside Markdown: HTML-escaped and Markdown-escaped."""
    return html.escape(value, quote=False).translate(_MARKDOWN_SPECIAL)


def report_files(**options: Any) -> gr.File:
    """A gr.File whose server-side type check (Gradio's own says "Invalid file type…") speaks Chinese.

    The check is wrapped on the instance: a gr.File subclass would make Gradio write a .pyi file next to
    this module at import, which fails in a read-only install."""
    files = gr.File(**options)
    check = files._process_single_file

    def checked(f):
        try:
            return check(f)
        except gr.Error:
            name = Path(f.orig_name or f.path).name
            raise shown(
                f"不支持的文件类型：{name}。只能添加 {describe_supported()} 文件。", "无法添加"
            ) from None

    files._process_single_file = checked
    return files


# The browser checks type and size before uploading and shows Gradio's English text in a toast or on
# the File component; the page has no hook for those messages, so an observer rewrites them as they
# appear. `zbTranslate` is also run under node by the tests.
TRANSLATE_JS = r"""
function zbTranslate(text) {
  const names = (list) => list.replace(/ and (\d+) more$/, ' 等另外 $1 个文件');
  let match = text.match(/^Invalid file types?: (.*)\. Only (.*) allowed\.$/s);
  if (match) {
    return `不支持的文件类型：${names(match[1])}。只能添加 ${match[2].split(', ').join('、')} 文件。`;
  }
  match = text.match(/^File\(s\) exceed the maximum allowed size of (.*?): (.*)$/s);
  if (match) return `文件超过大小上限（每个不超过 ${match[1]}）：${match[2]}`;
  return null;
}
"""

OBSERVER_JS = """
const zbRewrite = (node) => {
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  for (let text = walker.currentNode; text; text = walker.nextNode()) {
    if (text.nodeType !== Node.TEXT_NODE) continue;
    const chinese = zbTranslate(text.nodeValue.trim());
    if (chinese) text.nodeValue = chinese;
  }
};
new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.type === 'characterData') zbRewrite(change.target);
    change.addedNodes.forEach(zbRewrite);
  }
}).observe(document.body, { childList: true, subtree: true, characterData: true });
"""

# Gradio's page says lang="en"; Chinese lets browsers pick CJK fonts and not offer translation.
PAGE_JS = "() => { document.documentElement.lang = 'zh-CN';" + TRANSLATE_JS + OBSERVER_JS + "}"
