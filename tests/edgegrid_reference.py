#!/usr/bin/env python3
"""EdgeGrid Authorization headers computed by Akamai's own signer, edgegrid-python, with a fixed
timestamp and nonce, to check certwright's signer (src/vendors/akamai/edgegrid.rs) against.

tests/edgegrid.rs uses this to make its golden values and to recompute them live. Needs
`python3 -m pip install edgegrid-python` (it pulls in `requests`). Nothing goes over the network:
the request is only prepared, never sent.

How the timestamp and nonce are fixed: EdgeGridAuth.__call__ draws them from eg_timestamp() and
new_nonce(), but it only hands them to EdgeGridAuthHeaders.make_auth_header(request, timestamp,
nonce), which is what we call directly, on a requests.PreparedRequest (as edgegrid-python's own
tests do). make_data_to_sign is wrapped only to record what was signed.

Usage:
  edgegrid_reference.py --version
      prints the edgegrid-python version.
  edgegrid_reference.py --json < cases.json
      cases.json is one case or a list of cases (see CASE below). Prints one line per case:
      the Authorization header value, a tab, then base64 of the UTF-8 dataToSign.
  edgegrid_reference.py [--edgerc FILE [--section NAME] | --host H --client-token T
                         --client-secret S --access-token A [--max-body N]
                         [--headers-to-sign A,B]]
                        --method GET --path '/p?q=1' [--header 'Name: value']...
                        [--body TEXT | --body-file FILE] --timestamp T --nonce N [--data-to-sign]
      prints the Authorization header value (and dataToSign, tabs shown as \\t, on stderr).

CASE (JSON object):
  host, client_token, client_secret, access_token: strings (host bare, no https://)
  max_body: integer, default 131072;  headers_to_sign: list of names, default []
  method, path_and_query: strings;  headers: list of [name, value] pairs, default []
  body_b64: base64 of the body bytes, default empty;  timestamp, nonce: strings
"""

import argparse
import base64
import json
import os
import sys


def edgegrid_version():
    try:
        from importlib.metadata import version
        return version('edgegrid-python')
    except Exception:  # pylint: disable=broad-except
        import akamai.edgegrid
        return getattr(akamai.edgegrid, '__version__', 'unknown')


def sign(case):
    """Returns (authorization, data_to_sign) for one CASE dict, computed by edgegrid-python."""
    import requests
    from akamai.edgegrid import EdgeGridAuth

    auth = EdgeGridAuth(
        client_token=case['client_token'],
        client_secret=case['client_secret'],
        access_token=case['access_token'],
        headers_to_sign=case.get('headers_to_sign') or (),
        max_body=case.get('max_body', 131072),
    )
    url = 'https://' + case['host'] + case['path_and_query']
    headers = {}
    for name, value in case.get('headers', []):
        headers.setdefault(name, value)  # first value wins, like certwright
    body = base64.b64decode(case.get('body_b64', ''))
    prepared = requests.Request(
        method=case['method'], url=url, headers=headers, data=body or None).prepare()
    if prepared.url != url:
        raise SystemExit(f'requests rewrote the URL {url!r} as {prepared.url!r}; '
                         'pass an already-encoded path so both sides sign the same bytes')

    seen = []
    original = auth.ah.make_data_to_sign

    def recording(request, auth_header):
        data = original(request, auth_header)
        seen.append(data)
        return data

    auth.ah.make_data_to_sign = recording
    header = auth.ah.make_auth_header(prepared, case['timestamp'], case['nonce'])
    return header, seen[-1]


def case_from_args(args):
    if args.edgerc:
        from akamai.edgegrid import EdgeRc
        rc = EdgeRc(args.edgerc)
        host = rc.get(args.section, 'host')
        creds = {
            'client_token': rc.get(args.section, 'client_token'),
            'client_secret': rc.get(args.section, 'client_secret'),
            'access_token': rc.get(args.section, 'access_token'),
            'max_body': rc.getint(args.section, 'max_body'),
            'headers_to_sign': [h.strip() for h in (rc.getlist(args.section, 'headers_to_sign')
                                                    or []) if h.strip() and h != 'None'],
        }
    else:
        missing = [f for f in ('host', 'client_token', 'client_secret', 'access_token')
                   if not getattr(args, f)]
        if missing:
            raise SystemExit('missing --' + ', --'.join(m.replace('_', '-') for m in missing)
                             + ' (or use --edgerc)')
        host = args.host
        creds = {
            'client_token': args.client_token,
            'client_secret': args.client_secret,
            'access_token': args.access_token,
            'max_body': args.max_body,
            'headers_to_sign': [h.strip() for h in args.headers_to_sign.split(',') if h.strip()],
        }
    if host.lower().startswith('https://'):
        host = host[8:]
    host = host.rstrip('/')
    if args.body_file:
        with open(args.body_file, 'rb') as f:
            body = f.read()
    else:
        body = (args.body or '').encode('utf8')
    headers = []
    for h in args.header:
        name, sep, value = h.partition(':')
        if not sep:
            raise SystemExit(f'--header needs "Name: value", got {h!r}')
        headers.append([name.strip(), value.lstrip()])
    return dict(creds, host=host, method=args.method, path_and_query=args.path,
                headers=headers, body_b64=base64.b64encode(body).decode('ascii'),
                timestamp=args.timestamp, nonce=args.nonce)


def main():
    # edgegrid-python appends AkamaiCLI/… to User-Agent from these; keep results reproducible.
    for name in ('AKAMAI_CLI', 'AKAMAI_CLI_VERSION', 'AKAMAI_CLI_COMMAND',
                 'AKAMAI_CLI_COMMAND_VERSION'):
        os.environ.pop(name, None)

    p = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    p.add_argument('--version', action='store_true', help='print the edgegrid-python version')
    p.add_argument('--json', action='store_true', help='read cases as JSON on stdin')
    p.add_argument('--edgerc')
    p.add_argument('--section', default='default')
    p.add_argument('--host')
    p.add_argument('--client-token')
    p.add_argument('--client-secret')
    p.add_argument('--access-token')
    p.add_argument('--max-body', type=int, default=131072)
    p.add_argument('--headers-to-sign', default='')
    p.add_argument('--method', default='GET')
    p.add_argument('--path', default='/')
    p.add_argument('--header', action='append', default=[])
    p.add_argument('--body')
    p.add_argument('--body-file')
    p.add_argument('--timestamp')
    p.add_argument('--nonce')
    p.add_argument('--data-to-sign', action='store_true', help='also print dataToSign on stderr')
    args = p.parse_args()

    if args.version:
        print(edgegrid_version())
        return
    if args.json:
        cases = json.load(sys.stdin)
        if isinstance(cases, dict):
            cases = [cases]
        for case in cases:
            header, data = sign(case)
            print(header + '\t' + base64.b64encode(data.encode('utf8')).decode('ascii'))
        return
    if not args.timestamp or not args.nonce:
        raise SystemExit('--timestamp and --nonce are required (e.g. 20250805T09:45:36+0000)')
    header, data = sign(case_from_args(args))
    print(header)
    if args.data_to_sign:
        print(data.replace('\t', '\\t'), file=sys.stderr)


if __name__ == '__main__':
    main()
