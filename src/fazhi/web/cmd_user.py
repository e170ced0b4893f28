"""`fazhi user add|token|password|disable|list`: workspace accounts from the shell."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(sub: Any) -> None:
    p = sub.add_parser("user", help="管理工作台用户：添加、生成接口令牌、重设密码、停用、列出")
    p.add_argument("action", choices=("add", "token", "password", "disable", "enable", "list"), metavar="操作",
                   help="add 添加，token 生成接口令牌，password 重设密码，disable/enable 停用/启用，list 列出")
    p.add_argument("name", nargs="?", metavar="用户名")
    p.add_argument("--db", required=True, metavar="文件", help="工作台数据库文件")
    p.add_argument("--role", choices=("admin", "reviewer", "unit"), default="unit", help="角色：admin 管理员，reviewer 审核人员，unit 报送单位（默认）")
    p.add_argument("--unit", metavar="单位名称", help="报送单位账号所属的单位（须与报送名单中的名称一致）")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（脚本用）")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码（至少 8 个字符）：")
    if getpass.getpass("再输入一次：") != first:
        raise ValueError("两次输入的密码不一致")
    return first


def run(args: argparse.Namespace) -> int:
    from fazhi.corpus.store import StoreError
    from fazhi.web import accounts
    from fazhi.web.accounts import AccountError
    from fazhi.web.db import ROLE_LABELS, Database

    if args.action != "list" and not args.name:
        print("fazhi：用法错误：请给出用户名", file=sys.stderr)
        return EXIT_USAGE
    try:
        db = Database(args.db)
        if args.action == "add":
            user = accounts.add_user(db, args.name, _password(args), args.role, args.unit, by="命令行")
            print(f"已添加用户 {user.username}（{ROLE_LABELS[user.role]}{'，' + user.unit if user.unit else ''}）")
        elif args.action == "token":
            print(accounts.new_token(db, args.name, by="命令行"))
        elif args.action == "password":
            accounts.set_password(db, args.name, _password(args), by="命令行")
            print(f"已重设 {args.name} 的密码，其已登录的会话失效")
        elif args.action in ("disable", "enable"):
            accounts.set_active(db, args.name, args.action == "enable", by="命令行")
            print(f"已{'启用' if args.action == 'enable' else '停用'} {args.name}")
        else:
            for u in accounts.list_users(db):
                print(f"{u['username']}\t{ROLE_LABELS[u['role']]}\t{u['unit'] or ''}\t{'正常' if u['active'] else '已停用'}")
    except (AccountError, ValueError) as exc:
        print(f"fazhi：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"fazhi：{exc.message}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
