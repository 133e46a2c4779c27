"""Numbering markers, one pattern per level: read by the heading parser and by the sentence splitter.

Levels, outermost first: 1 "一、"; 2 "（一）" "(一)" "一）"; 3 "1." "1、" "1．"; 4 "（1）" "1）"; 5 "①".
Each pattern names its number in a group (l1, l2, l2b, l3, l4, l4b, l5), so a regex may use each once.
"""

from __future__ import annotations

CN_NUMERAL = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

LEVEL_1 = rf"(?P<l1>[{CN_NUMERAL}]{{1,3}})\s*、"
LEVEL_2 = rf"[（(]\s*(?P<l2>[{CN_NUMERAL}]{{1,3}})\s*[)）]"
LEVEL_2_CLOSED = rf"(?P<l2b>[{CN_NUMERAL}]{{1,3}})[)）]"
# Not "1.5万": a digit after the dot is a decimal.
LEVEL_3 = r"(?P<l3>[0-9０-９]{1,2})(?:[.．、](?![0-9０-９]))"
LEVEL_4 = r"[（(](?P<l4>[0-9０-９]{1,2})[)）]"
LEVEL_4_CLOSED = r"(?P<l4b>[0-9０-９]{1,2})[)）]"
LEVEL_5 = rf"(?P<l5>[{CIRCLED}])"
