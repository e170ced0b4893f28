#!/bin/sh
# 在一台能上网的机器上制作离线安装包：目标文件夹里是 fazhi 和它运行所需的全部 wheel 文件，
# 版本按 requirements.lock。把整个项目文件夹（含这个目标文件夹）拷到没有网络的机器上，
# 用 scripts/install.sh（Linux、macOS）或 README 里的 Windows 命令安装（pip --no-index）。
#
# 用法：scripts/wheelhouse.sh [目标文件夹] [pip download 的其他参数……]
#   scripts/wheelhouse.sh                                    # 为本机（同一系统、同一 Python 版本）制作
#   scripts/wheelhouse.sh wheelhouse-win --platform win_amd64 --python-version 3.11 --only-binary=:all:
#                                                             # 在 Linux 上为 Windows 64 位、Python 3.11 制作
# 环境变量 PYTHON 指定用哪个 Python（默认 python3）。
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
OUT=${1:-wheelhouse}
[ $# -gt 0 ] && shift
"$PYTHON" scripts/check_python.py
mkdir -p "$OUT"
# fazhi itself, as a pure-Python wheel that installs on any platform (without the compiled
# kernels, which are optional: the pure-Python paths give the same results, a little slower)
FAZHI_NO_NATIVE=1 "$PYTHON" -m pip wheel --no-deps --wheel-dir "$OUT" .
# dependencies published only as source (jieba): built here into pure-Python wheels, which fit
# any platform; otherwise the offline machine would need setuptools to build them, and a
# download for another platform (--only-binary=:all:) could not find them at all
"$PYTHON" -m pip wheel --no-deps --wheel-dir "$OUT" --constraint requirements.lock jieba
# the other dependencies, at the versions of requirements.lock, for the target platform
for wheel in "$OUT"/fazhi-*.whl; do
    "$PYTHON" -m pip download --dest "$OUT" --find-links "$OUT" --constraint requirements.lock "$@" "$wheel"
done
# packages published only as source (jieba) would need setuptools to build on the offline
# machine: build them into wheels here (they are pure Python, so the wheel fits any platform)
for sdist in "$OUT"/*.tar.gz "$OUT"/*.zip; do
    [ -e "$sdist" ] || continue
    "$PYTHON" -m pip wheel --no-deps --wheel-dir "$OUT" "$sdist"
    rm -f "$sdist"
done
# for this very platform, also the wheel with the compiled kernels (pip prefers it where it fits)
if [ $# -eq 0 ]; then
    "$PYTHON" -m pip wheel --no-deps --wheel-dir "$OUT" . || echo "未能编译加速模块，离线安装包只含纯 Python 版本（结果相同，速度稍慢）"
fi
echo "已生成离线安装包：$OUT/（安装：scripts/install.sh $OUT，或见 README“离线安装”）"
