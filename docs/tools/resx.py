#!/usr/bin/env python3
"""Adds or updates UI strings in the zh-CN (neutral) and en resource files of the office library.

usage: docs/tools/resx.py [--res NAME] KEY "中文" "English" [KEY "中文" "English" ...]

--res NAME edits Localization/NAME.resx and NAME.en.resx (a module's own strings, e.g. WorkflowText);
the default is Text.
"""
import sys, os
import xml.etree.ElementTree as ET

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "edge", "EGovEdge.Office", "Localization")
HEADER = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""

def load(path):
    entries = {}
    if os.path.exists(path):
        for d in ET.parse(path).getroot().findall("data"):
            entries[d.get("name")] = d.find("value").text or ""
    return entries

def save(path, entries):
    from xml.sax.saxutils import escape
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for k in sorted(entries):
            f.write(f'  <data name="{escape(k)}" xml:space="preserve"><value>{escape(entries[k])}</value></data>\n')
        f.write("</root>\n")

def main(args):
    name = "Text"
    if len(args) >= 2 and args[0] == "--res":
        name, args = args[1], args[2:]
    if len(args) % 3 != 0:
        sys.exit(__doc__)
    zh_path, en_path = os.path.join(ROOT, name + ".resx"), os.path.join(ROOT, name + ".en.resx")
    zh, en = load(zh_path), load(en_path)
    for i in range(0, len(args), 3):
        zh[args[i]], en[args[i]] = args[i + 1], args[i + 2]
    save(zh_path, zh); save(en_path, en)

main(sys.argv[1:])
