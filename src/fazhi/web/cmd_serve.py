"""`fazhi serve --db 工作台.db`: the workspace in a browser (binds 127.0.0.1 by default)."""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(sub: Any) -> None:
    p = sub.add_parser("serve", help="启动工作台：报送名单、报送、审核、退回、通过、公开（浏览器访问）")
    p.add_argument("--db", required=True, metavar="文件", help="数据库文件（与语料库命令共用；不存在时新建）")
    p.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认 127.0.0.1，只允许本机访问；局域网使用时写 0.0.0.0）")
    p.add_argument("--port", type=int, default=8000, metavar="端口", help="端口（默认 8000）")
    p.add_argument("--max-upload-mb", type=float, default=50, metavar="MB", help="单个上传文件的大小上限（默认 50 MB）")
    p.add_argument("--config", metavar="文件", help="配置文件（规则、截止日期、本地文件清单）")
    p.add_argument("--https", action="store_true", help="经 HTTPS 反向代理访问时使用：Cookie 只在 HTTPS 下发送")
    p.add_argument("--demo", metavar="文件夹", help="演示：把该文件夹里的报告作为各单位的报送导入，并在没有用户时建立一个管理员")


def demo(db_path: str, folder: str, config: Any) -> None:
    """Load a folder of reports as submissions of their issuers (once) and make an administrator
    with a random password when the workspace has no users."""
    from fazhi.ingest.inputs import iter_inputs
    from fazhi.web import accounts, submissions
    from fazhi.web.db import Database

    db = Database(db_path)
    if accounts.count_users(db) == 0:
        password = secrets.token_urlsafe(9)
        accounts.add_user(db, "admin", password, "admin", None, by="demo")
        print(f"演示管理员：用户名 admin，密码 {password}（只显示这一次）")
    admin = accounts.by_name(db, "admin")
    if admin is None or db.one("SELECT count(*) FROM ws_versions")[0]:
        return
    loaded = 0
    for path in iter_inputs([folder]):
        try:
            submissions.upload(db, config, admin, Path(path).name, Path(path).read_bytes(), submit=True)
            loaded += 1
        except submissions.SubmissionError as exc:
            print(f"  跳过 {Path(path).name}：{exc.message}", file=sys.stderr)
    print(f"已导入 {loaded} 份示例报告")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from fazhi.config import ConfigError
    from fazhi.config import load as load_config
    from fazhi.corpus.store import StoreError
    from fazhi.web import accounts
    from fazhi.web.app import Settings, create_app

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"fazhi：配置错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.max_upload_mb <= 0:
        print("fazhi：用法错误：--max-upload-mb 必须大于 0", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(db=args.db, max_upload=int(args.max_upload_mb * 1024 * 1024), config=config, secure_cookies=args.https)
    try:
        if args.demo:
            demo(args.db, args.demo, config)
        app = create_app(settings)
    except StoreError as exc:
        print(f"fazhi：{exc.message}", file=sys.stderr)
        return EXIT_USAGE
    if accounts.count_users(app.state.db) == 0:
        print("工作台还没有用户。请先在另一个终端创建第一个管理员：", file=sys.stderr)
        print(f"  fazhi user add 管理员用户名 --db {args.db} --role admin", file=sys.stderr)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"工作台已启动：http://{shown}:{args.port}/ （按 Ctrl+C 停止）")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return EXIT_OK
