"""Plausible wrong implementations of lesson 00's code-writing exercise."""

WRONG = {
    "ex00_02": {
        "counts every line, blank ones too":
            "def count_nonblank(text):\n    return len(text.splitlines())",
        "strips only the ASCII space, so a full-width space 「　」 counts as text":
            "def count_nonblank(text):\n"
            "    return sum(1 for line in text.splitlines() if line.strip(' '))",
        "counts line breaks instead of lines":
            "def count_nonblank(text):\n    return text.count('\\n')",
        "splits on \\n only, so a line ending in \\r\\n keeps its \\r":
            "def count_nonblank(text):\n"
            "    return sum(1 for line in text.split('\\n') if line.strip(' \\u3000'))",
        "tests for an empty line without stripping it":
            "def count_nonblank(text):\n"
            "    return sum(1 for line in text.splitlines() if line != '')",
    },
}
