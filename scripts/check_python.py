"""Say clearly when this Python is too old for fazhi, before pip fails with a resolver error.

    python3 scripts/check_python.py      # exit 0 when fine, 1 with a Chinese message otherwise

Written so that any Python 3 (and 2.7) can run it: no f-strings, no newer syntax."""
import sys

REQUIRED = (3, 11)


def message(version):
    if tuple(version[:2]) >= REQUIRED:
        return None
    have = "%d.%d" % (version[0], version[1])
    return (
        "fazhi 需要 Python %d.%d 或更高版本，当前的 Python 是 %s。\n"
        "请先安装 Python 3.11 或更新的版本（Windows 可从 python.org 下载安装包；"
        "Linux 可用系统包管理器，如 apt install python3.11），再用它运行安装命令。"
        % (REQUIRED[0], REQUIRED[1], have)
    )


def main(version=None):
    text = message(version or sys.version_info)
    if text:
        sys.stderr.write(text + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
