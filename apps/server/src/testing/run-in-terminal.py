#!/usr/bin/env python3
"""Runs a command the way a user's shell does, waits until its output matches --ready,
stops it, and prints one JSON line on stdout saying how it ended.

  --tty (default): the command is the foreground job of a new pseudo-terminal, in a
  process group of its own, under a session leader that stands in for the shell.
  --how ctrl-c types Ctrl-C into that terminal: the kernel sends SIGINT to the whole
  foreground process group, as on a user's keypress.
  --no-tty: the command runs in a session of its own with its output in a pipe (a
  process manager, CI, `docker run` without -t).
  --how sigint / sigterm: the signal goes to the command's top process only (what
  process managers, `docker stop` and systemd do); sigint-group: to its process group.

Afterwards, whatever is left of the command's session, and every process whose command
line contains a --watch string (the embedded Postgres runs in a session of its own), is
listed in "left" and then killed with SIGKILL, so that a failure leaves nothing behind.
The command's output goes to --log (and is not echoed).

Uses only the standard library (no native Node module for pseudo-terminals).
"""
import argparse
import fcntl
import json
import os
import re
import select
import signal
import subprocess
import sys
import termios
import time

ap = argparse.ArgumentParser()
ap.add_argument('--cwd', required=True)
ap.add_argument('--log', required=True)
ap.add_argument('--ready', required=True, help='a regular expression the output must match')
ap.add_argument('--how', choices=['ctrl-c', 'sigint', 'sigterm', 'sigint-group'], default='ctrl-c')
ap.add_argument('--no-tty', dest='tty', action='store_false')
ap.add_argument('--watch', action='append', default=[])
ap.add_argument('--ready-timeout', type=float, default=300)
ap.add_argument('--stop-timeout', type=float, default=30)
ap.add_argument('cmd', nargs=argparse.REMAINDER)
args = ap.parse_args()
if args.cmd and args.cmd[0] == '--':
    args.cmd = args.cmd[1:]

log = open(args.log, 'wb')
output = b''


def processes():
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat') as f:
                stat = f.read()
            with open(f'/proc/{entry}/cmdline', 'rb') as f:
                cmd = f.read().replace(b'\0', b' ').decode(errors='replace').strip()
        except OSError:
            continue
        fields = stat[stat.rindex(')') + 2:].split(' ')
        if fields[0] == 'Z':
            continue  # a zombie is gone, only not yet reaped
        found.append({'pid': int(entry), 'pgid': int(fields[2]), 'sid': int(fields[3]), 'cmd': cmd[:200]})
    return found


def start_in_terminal():
    """Forks the stand-in shell; returns (leader pid, job pid, master fd, status fd)."""
    master, slave = os.openpty()
    status_r, status_w = os.pipe()
    leader = os.fork()
    if leader == 0:
        try:
            os.close(master)
            os.close(status_r)
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.close(slave)
            # Like an interactive shell: Ctrl-C and job-control signals are not for it.
            for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP, signal.SIGTTOU, signal.SIGTTIN):
                signal.signal(sig, signal.SIG_IGN)
            go_r, go_w = os.pipe()
            job = os.fork()
            if job == 0:
                os.close(go_w)
                os.setpgid(0, 0)
                os.read(go_r, 1)  # until it owns the terminal
                os.close(go_r)
                for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP, signal.SIGTTOU, signal.SIGTTIN):
                    signal.signal(sig, signal.SIG_DFL)
                os.chdir(args.cwd)
                os.execvp(args.cmd[0], args.cmd)
            os.close(go_r)
            try:
                os.setpgid(job, job)
            except OSError:
                pass
            os.tcsetpgrp(0, job)
            os.write(go_w, b'x')
            os.close(go_w)
            os.write(status_w, f'{job}\n'.encode())
            _, status = os.waitpid(job, 0)
            os.tcsetpgrp(0, os.getpgrp())
            os.write(status_w, f'{status}\n'.encode())
        finally:
            os._exit(0)
    os.close(slave)
    os.close(status_w)
    job = int(os.read(status_r, 64).split(b'\n')[0])
    return leader, job, master, status_r


def read_some(fd, timeout):
    """Reads what the command wrote; False once its end of the terminal or pipe is closed."""
    global output
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:  # EIO: no process has the terminal open any more
        return False
    if not data:
        return False
    output += data
    log.write(data)
    log.flush()
    return True


started = time.time()
if args.tty:
    leader, job, out_fd, status_fd = start_in_terminal()
    session = leader
    proc = None
else:
    proc = subprocess.Popen(args.cmd, cwd=args.cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    leader, job, out_fd, status_fd = None, proc.pid, proc.stdout.fileno(), None
    session = proc.pid

ready = re.compile(args.ready.encode())
deadline = time.time() + args.ready_timeout
open_out = True
while open_out and not ready.search(output) and time.time() < deadline:
    open_out = read_some(out_fd, 0.2)
    if proc is not None and proc.poll() is not None:
        break
report = {'ready': bool(ready.search(output)), 'readyAfter': round(time.time() - started, 2)}


def ours(snapshot):
    return [p for p in snapshot
            if (p['sid'] == session and p['pid'] != leader) or any(w in p['cmd'] for w in args.watch)]


report['before'] = ours(processes())

exit_status = None
interrupted = time.time()
if report['ready']:
    if args.how == 'ctrl-c':
        if not args.tty:
            sys.exit('ctrl-c needs a terminal')
        os.write(out_fd, b'\x03')
    elif args.how == 'sigint':
        os.kill(job, signal.SIGINT)
    elif args.how == 'sigterm':
        os.kill(job, signal.SIGTERM)
    else:
        os.killpg(job, signal.SIGINT)
    deadline = time.time() + args.stop_timeout
    status_text = b''
    while time.time() < deadline:
        if open_out:
            open_out = read_some(out_fd, 0.05)
        else:
            time.sleep(0.05)
        if exit_status is None:
            if proc is not None:
                if proc.poll() is not None:
                    exit_status = proc.returncode
                    report['exitAfter'] = round(time.time() - interrupted, 2)
            elif select.select([status_fd], [], [], 0)[0]:
                status_text += os.read(status_fd, 64)
                if b'\n' in status_text:
                    exit_status = os.waitstatus_to_exitcode(int(status_text.split(b'\n')[0]))
                    report['exitAfter'] = round(time.time() - interrupted, 2)
        if exit_status is not None and not ours(processes()):
            report['allGoneAfter'] = round(time.time() - interrupted, 2)
            break

# The last of the output (the terminal is read until every writer has closed it).
until = time.time() + 2
while open_out and time.time() < until:
    open_out = read_some(out_fd, 0.1)

report['exit'] = exit_status  # negative: killed by that signal
left = ours(processes())
report['left'] = left
for p in left:
    try:
        os.kill(p['pid'], signal.SIGKILL)
    except OSError:
        pass
if leader is not None:
    try:
        os.kill(leader, signal.SIGKILL)
        os.waitpid(leader, 0)
    except OSError:
        pass
if proc is not None and proc.poll() is None:
    proc.kill()
    proc.wait()
log.close()
print(json.dumps(report))
