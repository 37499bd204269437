#!/usr/bin/env python3
"""Drives the official Python SDKs' retry logic against a running smartag-emulator, with faults
injected through POST /_emulator/faults and the account read back from GET /_emulator/state.

What each SDK really does (read from its source, and checked here):

  alibabacloud_smartag20180313 2.1.2 (alibabacloud_tea_openapi 0.4.6, darabonba-core 1.0.9):
    retries only by Config(retry_options=RetryOptions(...)): each RetryCondition names the
    exception names (a read timeout is a `RetryError`) and error codes it retries, and its
    maxAttempts. RuntimeOptions(autoretry=True, max_attempts=N) is accepted and ignored by this
    version: the retry loop reads only the client's retry options.

  aliyun-python-sdk-core 2.16.1 (AcsClient, auto_retry=True by default):
    retries only the APIs its data/retry_config.json lists, and that file lists ECS 2014-05-26
    alone. For Smart Access Gateway (product "Smartag") it never retries, whatever the error or
    a timeout; its policy does retry a request shaped as an ECS API it lists (checked below with a
    CommonRequest), on ServiceUnavailable, InternalError, Throttling or a 5xx.

The emulator must have been started with the fixtures of fixtures.txt (next to this file).

usage: faults.py --endpoint HOST:PORT --key ID --secret SECRET
Exit status 0 when every check passed; 1 with the failures listed otherwise.
"""

import argparse
import base64
import json
import sys
import time
import urllib.parse
import urllib.request

from checks import check, report

THROTTLED = ("Throttling.User", 400, "Request was denied due to user flow control.")
UNAVAILABLE = ("ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server.")
INTERNAL = ("InternalError", 500,
            "The request processing has failed due to some unknown error, exception or failure.")

# The SDKs' read timeout, and a delay past it: the answer is lost to the client.
READ_TIMEOUT_MS = 1000
LOST_DELAY_MS = "2500"


class Control:
    """The emulator's control endpoints, authorised with HTTP Basic."""

    def __init__(self, endpoint, key, secret):
        self.endpoint = endpoint
        self.token = base64.b64encode(f"{key}:{secret}".encode()).decode()

    def call(self, method, name, form=None):
        data = urllib.parse.urlencode(form or {}).encode() if method != "GET" else None
        request = urllib.request.Request(
            f"http://{self.endpoint}/_emulator/{name}",
            method=method,
            data=data,
            headers={
                "Authorization": f"Basic {self.token}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def reset(self):
        self.call("POST", "reset")

    def arm(self, action, count, code=None, delay_ms=None):
        form = {"Action": action, "Count": str(count)}
        if code:
            form["Code"] = code
        if delay_ms:
            form["DelayMs"] = delay_ms
        return self.call("POST", "faults", form)

    def clear(self):
        """Disarms every fault: how many were still armed."""
        return self.call("DELETE", "faults")["Cleared"]

    def codes(self):
        return [c["EnterpriseCode"] for c in self.call("GET", "state")["EnterpriseCodes"]]


# ---------------------------------------------------------------- the newer SDK (darabonba)

def newer_client(endpoint, key, secret, algorithm, retry_options=None):
    from alibabacloud_smartag20180313.client import Client
    from alibabacloud_tea_openapi import models as open_api_models

    config = open_api_models.Config(
        access_key_id=key,
        access_key_secret=secret,
        endpoint=endpoint,
        protocol="http",
        region_id="cn-shanghai",
        read_timeout=READ_TIMEOUT_MS,
        connect_timeout=5000,
    )
    if algorithm:
        config.signature_algorithm = algorithm
    if retry_options is not None:
        config.retry_options = retry_options
    return Client(config)


def retry_on_lost_answers_and_unavailable():
    """The newer SDK's retry options: a read timeout (RetryError) and ServiceUnavailable, three
    attempts in all."""
    from darabonba.policy.retry import RetryOptions

    return RetryOptions({
        "retryable": True,
        "retryCondition": [{
            "maxAttempts": 3,
            "exception": ["RetryError"],
            "errorCode": ["ServiceUnavailable"],
        }],
    })


def newer(control, endpoint, key, secret, algorithm, name):
    from alibabacloud_smartag20180313 import models
    from darabonba.runtime import RuntimeOptions
    from Tea.exceptions import TeaException

    p = f"newer {name}: "
    sh = {"region_id": "cn-shanghai"}
    control.reset()
    plain = newer_client(endpoint, key, secret, algorithm)
    listing = models.ListEnterpriseCodeRequest(**sh)

    # An injected Throttling.User reaches the caller with the service's code, status and message.
    control.arm("ListEnterpriseCode", 1, code="Throttling.User")
    try:
        plain.list_enterprise_code(listing)
        check(p + "throttled", False, "expected Throttling.User, got success")
    except TeaException as e:
        data = e.data or {}
        check(p + "throttled: code, status, message",
              (e.code, data.get("statusCode"), data.get("Message"), data.get("Code")) == THROTTLED + (THROTTLED[0],),
              repr((e.code, data)))
        check(p + "throttled: the request ID of the body", str(data.get("RequestId")) in str(e.message), repr(e.message))
    check(p + "throttled once", plain.list_enterprise_code(listing).status_code == 200)

    # RuntimeOptions(autoretry=True, max_attempts=3) alone: no retry with this version. Two
    # armed ServiceUnavailable answer two calls, one each.
    runtime = RuntimeOptions(autoretry=True, max_attempts=3, read_timeout=READ_TIMEOUT_MS)
    control.arm("*", 2, code="ServiceUnavailable")
    for attempt in ("first", "second"):
        try:
            plain.list_enterprise_code_with_options(listing, runtime)
            check(p + f"runtime autoretry, {attempt} call", False, "expected ServiceUnavailable, got success")
        except TeaException as e:
            got = (e.code, (e.data or {}).get("statusCode"), (e.data or {}).get("Message"))
            check(p + f"runtime autoretry, {attempt} call: not retried", got == UNAVAILABLE, repr(got))
    check(p + "runtime autoretry: each call met one fault", control.clear() == 0)

    # The retry options: two ServiceUnavailable, then the answer, in one call.
    retrying = newer_client(endpoint, key, secret, algorithm, retry_on_lost_answers_and_unavailable())
    control.arm("*", 2, code="ServiceUnavailable")
    try:
        body = retrying.list_enterprise_code(listing).body
        check(p + "retried past two ServiceUnavailable", body.total_count == 0, repr(body))
    except TeaException as e:
        check(p + "retried past two ServiceUnavailable", False, f"{e.code} {e.message}")
    check(p + "both faults spent by the one call", control.clear() == 0)

    # A lost answer (a delay past the read timeout) with a ClientToken: the first attempt
    # creates the code, its answer never arrives, the retry replays the first success: one code.
    code = {"acs3": "RA001", "v2": "RV001"}[name]
    control.arm("CreateEnterpriseCode", 1, delay_ms=LOST_DELAY_MS)
    started = time.monotonic()
    create = models.CreateEnterpriseCodeRequest(**sh, enterprise_code=code, client_token=f"retry-{name}")
    try:
        response = retrying.create_enterprise_code_with_options(create, RuntimeOptions(read_timeout=READ_TIMEOUT_MS))
        check(p + "lost answer retried: success", response.status_code == 200, repr(response.status_code))
    except Exception as e:  # noqa: BLE001: any failure is the check's
        check(p + "lost answer retried: success", False, f"{type(e).__name__}: {e}")
    elapsed = time.monotonic() - started
    check(p + "lost answer retried: after one read timeout",
          READ_TIMEOUT_MS / 1000 <= elapsed < int(LOST_DELAY_MS) / 1000, f"{elapsed:.2f} s")
    check(p + "lost answer retried with its token: created once", control.codes() == [code], repr(control.codes()))

    # The same without a ClientToken: the retry is a second create, which finds the code the
    # lost first attempt made.
    other = {"acs3": "NA001", "v2": "NV001"}[name]
    control.arm("CreateEnterpriseCode", 1, delay_ms=LOST_DELAY_MS)
    try:
        retrying.create_enterprise_code_with_options(models.CreateEnterpriseCodeRequest(**sh, enterprise_code=other),
                                                     RuntimeOptions(read_timeout=READ_TIMEOUT_MS))
        check(p + "lost answer retried without a token", False, "expected EnterpriseCode.BeenOccupied, got success")
    except TeaException as e:
        check(p + "lost answer retried without a token: the second create is refused",
              e.code == "EnterpriseCode.BeenOccupied", f"{e.code} {e.message}")
    check(p + "lost answer without a token: created once", control.codes() == [code, other], repr(control.codes()))

    # Without retry options, a lost answer is the caller's read timeout, and the request acted.
    control.arm("CreateEnterpriseCode", 1, delay_ms=LOST_DELAY_MS)
    try:
        plain.create_enterprise_code_with_options(
            models.CreateEnterpriseCodeRequest(**sh, enterprise_code="TO001"),
            RuntimeOptions(autoretry=True, max_attempts=3, read_timeout=READ_TIMEOUT_MS))
        check(p + "lost answer, no retry options", False, "expected a read timeout, got success")
    except Exception as e:  # noqa: BLE001: the SDK's timeout exception has no code
        check(p + "lost answer, no retry options: a read timeout", "timed out" in str(e).lower(),
              f"{type(e).__name__}: {e}")
    check(p + "lost answer, no retry options: the request acted", "TO001" in control.codes(), repr(control.codes()))


# ---------------------------------------------------------------- the older SDK (aliyunsdkcore)

def older(control, endpoint, key, secret):
    from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkcore.request import CommonRequest
    from aliyunsdksmartag.request.v20180313.CreateEnterpriseCodeRequest import CreateEnterpriseCodeRequest
    from aliyunsdksmartag.request.v20180313.ListEnterpriseCodeRequest import ListEnterpriseCodeRequest

    p = "older: "
    control.reset()
    # Its default: auto_retry=True, here with three retries and a 1 s read timeout.
    client = AcsClient(key, secret, "cn-shanghai", auto_retry=True, max_retry_time=3,
                       timeout=READ_TIMEOUT_MS // 1000)

    def request(cls, **params):
        r = cls()
        r.set_endpoint(endpoint)
        r.set_protocol_type("http")
        r.set_accept_format("JSON")
        for name, value in params.items():
            getattr(r, f"set_{name}")(value)
        return r

    def error_of(r):
        try:
            client.do_action_with_exception(r)
            return None
        except ServerException as e:
            return (e.get_error_code(), e.get_http_status(), e.get_error_msg())

    # An injected Throttling.User reaches the caller with the service's code, status and message.
    control.arm("ListEnterpriseCode", 1, code="Throttling.User")
    got = error_of(request(ListEnterpriseCodeRequest))
    check(p + "throttled: code, status, message", got == THROTTLED, repr(got))
    check(p + "throttled once", error_of(request(ListEnterpriseCodeRequest)) is None)

    # auto_retry=True does not retry Smartag: each call meets one of the armed faults.
    for fault in (UNAVAILABLE, INTERNAL, THROTTLED):
        control.arm("*", 2, code=fault[0])
        for attempt in ("first", "second"):
            got = error_of(request(ListEnterpriseCodeRequest))
            check(p + f"{fault[0]}, {attempt} call: not retried", got == fault, repr(got))
        check(p + f"{fault[0]}: the third call runs", error_of(request(ListEnterpriseCodeRequest)) is None)

    # A lost answer is its SDK.HttpError, not retried, and the request acted; the caller's own
    # retry with the same ClientToken answers the first success and acts once.
    control.arm("CreateEnterpriseCode", 1, delay_ms=LOST_DELAY_MS)
    create = request(CreateEnterpriseCodeRequest, EnterpriseCode="OL001", ClientToken="older-create")
    try:
        client.do_action_with_exception(create)
        check(p + "lost answer", False, "expected SDK.HttpError, got success")
    except ClientException as e:
        check(p + "lost answer: SDK.HttpError, a read timeout",
              e.get_error_code() == "SDK.HttpError" and "timed out" in e.get_error_msg().lower(),
              f"{e.get_error_code()} {e.get_error_msg()}")
    check(p + "lost answer: the request acted", control.codes() == ["OL001"], repr(control.codes()))
    again = request(CreateEnterpriseCodeRequest, EnterpriseCode="OL001", ClientToken="older-create")
    try:
        body = json.loads(client.do_action_with_exception(again))
        check(p + "retried by the caller with its token: success", "RequestId" in body, repr(body))
    except ServerException as e:
        check(p + "retried by the caller with its token: success", False, e.get_error_code())
    check(p + "retried by the caller with its token: created once", control.codes() == ["OL001"],
          repr(control.codes()))

    # Where its policy retries (an ECS 2014-05-26 API of its retry_config.json): one call spends
    # both armed ServiceUnavailable and reaches the emulator's own answer (this is no ECS, so
    # InvalidAction.NotFound).
    control.arm("*", 2, code="ServiceUnavailable")
    ecs = CommonRequest(domain=endpoint, version="2014-05-26", action_name="DescribeInstances", product="Ecs")
    ecs.set_protocol_type("http")
    ecs.set_accept_format("JSON")
    ecs.set_method("POST")
    got = error_of(ecs)
    check(p + "an API its policy retries: past both ServiceUnavailable",
          got is not None and got[:2] == ("InvalidAction.NotFound", 404), repr(got))
    check(p + "an API its policy retries: both faults spent by the one call", control.clear() == 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()

    control = Control(args.endpoint, args.key, args.secret)
    for name, algorithm in (("acs3", None), ("v2", "v2")):
        newer(control, args.endpoint, args.key, args.secret, algorithm, name)
    older(control, args.endpoint, args.key, args.secret)
    control.reset()

    return report("fault checks passed across 3 SDK flavors")


if __name__ == "__main__":
    sys.exit(main())
