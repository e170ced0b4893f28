#!/bin/sh
# 安装 fazhi 到项目文件夹下的 .venv（Linux、macOS），并检查 Python 版本。
#   scripts/install.sh               # 联网安装，版本按 requirements.lock
#   scripts/install.sh wheelhouse    # 离线安装：只用 scripts/wheelhouse.sh 做好的文件夹，不联网
# 环境变量 PYTHON 指定用哪个 Python（默认 python3），VENV 指定安装到哪里（默认 .venv）。
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
"$PYTHON" scripts/check_python.py
"$PYTHON" -m venv "$VENV"
if [ $# -gt 0 ]; then
    "$VENV/bin/python" -m pip install --no-index --find-links "$1" fazhi
else
    "$VENV/bin/python" -m pip install --constraint requirements.lock .
fi
echo "安装完成。每次打开终端后先运行：. $VENV/bin/activate  （之后即可直接输入 fazhi）"
echo "或者不激活，直接运行：$VENV/bin/fazhi check examples/"
