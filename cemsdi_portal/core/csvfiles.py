"""Reading a CSV file that a person uploads: shared by the key-figure import (benchmarking)
and the invitation of a network's people from a file (networks).

``decode`` turns the bytes into text (UTF-8 with or without a byte-order mark, Excel's UTF-16
"Unicode text", else Latin-1, in which every byte is a character); ``sniff_header`` finds the
separator and the header's names. A file that cannot be read raises ``FileProblem`` with the
place and what is wrong.
"""

import csv
import re

from django.utils.translation import gettext as _

LINE_END = re.compile(r"\r\n|\r|\n")


class FileProblem(Exception):
    """A file that cannot be read: where, and what is wrong."""

    def __init__(self, file_name: str, where: str, message: str):
        self.file_name, self.where, self.message = file_name, where, message
        super().__init__(f"{file_name}, {where}: {message}" if where else f"{file_name}: {message}")


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a byte-order mark dropped), UTF-16 with its mark, or Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: read as below
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # every byte is a Latin-1 character


def sniff_header(text: str, file_name: str, delimiters: str = ",;\t") -> tuple[str, list[str]]:
    """The separator and the header's names (the first line)."""
    # A line ends at \n, \r\n or a lone \r, as pandas and the csv module read it.
    first_line = LINE_END.split(text, maxsplit=1)[0]
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=delimiters).delimiter
    except csv.Error:
        delimiter = max(delimiters, key=first_line.count)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter))
    except csv.Error as exc:  # a quoted field that never ends, or one of over 128 KB
        raise FileProblem(
            file_name, _("line 1"), _("the header is not CSV (%(error)s).") % {"error": exc}
        ) from exc
    return delimiter, header
