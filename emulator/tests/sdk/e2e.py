#!/usr/bin/env python3
"""Drives the official Python SDKs against a running smartag-emulator.

Three flavors, each on a freshly reset account:
  acs3   alibabacloud_smartag20180313, default signing (ACS3-HMAC-SHA256)
  v2     alibabacloud_smartag20180313 with signature_algorithm='v2' (RPC, HMAC-SHA1)
  core   aliyun-python-sdk-smartag with aliyun-python-sdk-core (RPC, HMAC-SHA1)

Every operation runs once to success (checking the fields the SDK parsed) and once to an error
(checking the exception's code and HTTP status); a wrong secret must give SignatureDoesNotMatch
and an unknown key InvalidAccessKeyId.NotFound. Both SDKs ship ListEnterpriseCode,
UpdateEnterpriseCode and DeleteEnterpriseCode; a DeleteEnterpriseCode retried with its
ClientToken answers success again and deletes once. Both ship DescribeUserOnlineClients and
KickOutClients (its user parameter is Username): a user connected through the control endpoint
POST /_emulator/online is listed, then kicked out.

The emulator must have been started with the fixtures of fixtures.txt (next to this file).

usage: e2e.py --endpoint HOST:PORT --key ID --secret SECRET
Exit status 0 when every check passed; 1 with the failures listed otherwise.
"""

import argparse
import base64
import json
import sys
import urllib.request

from checks import check, report


class ApiError(Exception):
    def __init__(self, code, status):
        super().__init__(f"{status} {code}")
        self.code = code
        self.status = status


def reset(endpoint, key, secret):
    """Resets the key's account to the emulator's start fixtures (control endpoint, Basic)."""
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    request = urllib.request.Request(
        f"http://{endpoint}/_emulator/reset",
        method="POST",
        data=b"",
        headers={"Authorization": f"Basic {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, response.status


def connect(endpoint, key, secret, smart_ag_id, user_name):
    """Connects a client user (control endpoint, Basic, form body): its ClientIp and OnlineTime."""
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    body = f"SmartAGId={smart_ag_id}&UserName={user_name}".encode()
    request = urllib.request.Request(
        f"http://{endpoint}/_emulator/online",
        method="POST",
        data=body,
        headers={
            "Authorization": f"Basic {token}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, response.status
        answer = json.loads(response.read())
    return answer["ClientIp"], answer["OnlineTime"]


# ---------------------------------------------------------------- the newer SDK (Tea/OpenAPI)

class TeaFlavor:
    """alibabacloud_smartag20180313: typed request and response models."""

    always_sends_region = False
    wrong_secret_code = "SignatureDoesNotMatch"

    def __init__(self, endpoint, key, secret, algorithm):
        from alibabacloud_smartag20180313.client import Client
        from alibabacloud_tea_openapi import models as open_api_models

        config = open_api_models.Config(
            access_key_id=key,
            access_key_secret=secret,
            endpoint=endpoint,
            protocol="http",
            region_id="cn-shanghai",
            read_timeout=10000,
            connect_timeout=5000,
        )
        if algorithm:
            config.signature_algorithm = algorithm
        self.client = Client(config)

    def call(self, action, **params):
        from alibabacloud_smartag20180313 import models
        from Tea.exceptions import TeaException

        snake = {
            "CreateSmartAccessGatewayClientUser": "create_smart_access_gateway_client_user",
            "ModifySmartAccessGatewayClientUser": "modify_smart_access_gateway_client_user",
            "RoamClientUser": "roam_client_user",
            "DeleteSmartAccessGatewayClientUser": "delete_smart_access_gateway_client_user",
            "DescribeSmartAccessGatewayClientUsers": "describe_smart_access_gateway_client_users",
            "ResetSmartAccessGatewayClientUserPassword": "reset_smart_access_gateway_client_user_password",
            "EnableSmartAccessGatewayUser": "enable_smart_access_gateway_user",
            "DisableSmartAccessGatewayUser": "disable_smart_access_gateway_user",
            "CreateSmartAccessGatewaySoftware": "create_smart_access_gateway_software",
            "ModifySmartAccessGateway": "modify_smart_access_gateway",
            "CreateEnterpriseCode": "create_enterprise_code",
            "UpdateSmartAGEnterpriseCode": "update_smart_agenterprise_code",
            "ListEnterpriseCode": "list_enterprise_code",
            "UpdateEnterpriseCode": "update_enterprise_code",
            "DeleteEnterpriseCode": "delete_enterprise_code",
            "DescribeUserOnlineClients": "describe_user_online_clients",
            "KickOutClients": "kick_out_clients",
        }[action]
        fields = {
            "SmartAGId": "smart_agid",
            "OriginSmartAGId": "origin_smart_agid",
            "TargetSmartAGId": "target_smart_agid",
        }
        kwargs = {fields.get(k) or camel_to_snake(k): v for k, v in params.items()}
        request = getattr(models, f"{action}Request")(**kwargs)
        try:
            return getattr(self.client, snake)(request).body
        except TeaException as e:
            raise ApiError(e.code, (e.data or {}).get("statusCode")) from e

    # What the typed models parsed, as plain values.
    def user(self, body):
        return {
            "UserName": body.user_name,
            "UserMail": body.user_mail,
            "Bandwidth": body.bandwidth,
            "ClientIp": body.client_ip,
            "RequestId": body.request_id,
        }

    def page(self, body):
        users = body.users.user if body.users and body.users.user else []
        return {
            "TotalCount": body.total_count,
            "PageNumber": body.page_number,
            "PageSize": body.page_size,
            "Users": [
                {
                    "UserName": u.user_name,
                    "UserMail": u.user_mail,
                    "Bandwidth": u.bandwidth,
                    "State": u.state,
                    "IsStaticIp": u.is_static_ip,
                    "ClientIp": u.client_ip,
                }
                for u in users
            ],
        }

    def instance(self, body):
        return body.smart_agid

    def codes(self, body):
        return {
            "TotalCount": body.total_count,
            "NextToken": body.next_token,
            "MaxResults": body.max_results,
            "Codes": [(c.enterprise_code, c.is_default) for c in body.enterprise_codes or []],
        }

    def online(self, body):
        users = body.users.user if body.users and body.users.user else []
        return [(u.client_ip, u.online_time) for u in users]

    def request_id(self, body):
        return body.request_id


def camel_to_snake(name):
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i > 0:
            out.append("_")
        out.append(c.lower())
    return "".join(out)


# ---------------------------------------------------------------- the older SDK (aliyunsdkcore)

class CoreFlavor:
    """aliyun-python-sdk-smartag: request classes with setters, JSON bodies."""

    # The client adds its own region when a request has no RegionId.
    always_sends_region = True
    # The client reads the string the server signed back from the SignatureDoesNotMatch
    # message; when it equals its own (only the secret differs) it reports this code instead.
    wrong_secret_code = "InvalidAccessKeySecret"

    def __init__(self, endpoint, key, secret):
        from aliyunsdkcore.client import AcsClient

        self.endpoint = endpoint
        self.client = AcsClient(key, secret, "cn-shanghai", auto_retry=False, timeout=10)

    def call(self, action, **params):
        import importlib

        from aliyunsdkcore.acs_exception.exceptions import ServerException

        module = importlib.import_module(f"aliyunsdksmartag.request.v20180313.{action}Request")
        request = getattr(module, f"{action}Request")()
        request.set_endpoint(self.endpoint)
        request.set_protocol_type("http")
        request.set_accept_format("JSON")
        for name, value in params.items():
            setter = getattr(request, f"set_{name}", None)
            if setter is None:  # RegionId: no setter, the client's region unless given
                request.add_query_param(name, value)
            else:
                setter(value)
        try:
            return json.loads(self.client.do_action_with_exception(request))
        except ServerException as e:
            raise ApiError(e.get_error_code(), e.get_http_status()) from e

    def user(self, body):
        return {k: body.get(k) for k in ("UserName", "UserMail", "Bandwidth", "ClientIp", "RequestId")}

    def page(self, body):
        return {
            "TotalCount": body["TotalCount"],
            "PageNumber": body["PageNumber"],
            "PageSize": body["PageSize"],
            "Users": [
                {k: u.get(k) for k in ("UserName", "UserMail", "Bandwidth", "State", "IsStaticIp", "ClientIp")}
                for u in body["Users"]["User"]
            ],
        }

    def instance(self, body):
        return body["SmartAGId"]

    def codes(self, body):
        return {
            "TotalCount": body["TotalCount"],
            "NextToken": body["NextToken"],
            "MaxResults": body["MaxResults"],
            "Codes": [(c["EnterpriseCode"], c["IsDefault"]) for c in body["EnterpriseCodes"]],
        }

    def online(self, body):
        return [(u["ClientIp"], u["OnlineTime"]) for u in body["Users"]["User"]]

    def request_id(self, body):
        return body["RequestId"]


# ---------------------------------------------------------------- the scenario

def expect_error(flavor, label, action, code, status, **params):
    try:
        flavor.call(action, **params)
    except ApiError as e:
        check(label, (e.code, e.status) == (code, status), f"expected {status} {code}, got {e.status} {e.code}")
        return
    check(label, False, f"expected {status} {code}, got success")


def expect_ok(flavor, label, action, **params):
    try:
        return flavor.call(action, **params)
    except ApiError as e:
        check(label, False, f"expected success, got {e.status} {e.code}")
    except Exception as e:  # a body the SDK could not parse, say
        check(label, False, f"expected success, got {type(e).__name__}: {e}")
    return None


def is_request_id(value):
    return isinstance(value, str) and len(value) == 36 and value.count("-") == 4


def run(name, flavor, connect):
    sh = {"RegionId": "cn-shanghai"}
    app1 = {**sh, "SmartAGId": "sag-app1"}
    user = {**app1, "UserName": "doctest1"}
    p = f"{name}: "

    # CreateSmartAccessGatewaySoftware
    body = expect_ok(flavor, p + "create software", "CreateSmartAccessGatewaySoftware",
                     **sh, UserCount=5, Period=1, AutoPay=True, ChargeType="PREPAY", DataPlan=5)
    new_id = flavor.instance(body) if body is not None else None
    check(p + "create software: SmartAGId", isinstance(new_id, str) and new_id.startswith("sag-"), repr(new_id))
    expect_error(flavor, p + "create software UserCount=0", "CreateSmartAccessGatewaySoftware",
                 "InvalidParameter", 400, **sh, UserCount=0, Period=1, AutoPay=True, ChargeType="PREPAY", DataPlan=5)
    expect_error(flavor, p + "create software Period=13", "CreateSmartAccessGatewaySoftware",
                 "InvalidParameter", 400, **sh, UserCount=5, Period=13, AutoPay=True, ChargeType="PREPAY", DataPlan=5)

    # ModifySmartAccessGateway
    if new_id:
        body = expect_ok(flavor, p + "modify gateway", "ModifySmartAccessGateway",
                         **sh, SmartAGId=new_id, CidrBlock="10.2.0.0/24")
        check(p + "modify gateway: RequestId", body is not None and is_request_id(flavor.request_id(body)))
        expect_error(flavor, p + "modify gateway public block", "ModifySmartAccessGateway",
                     "SAG.InvalidCidr", 400, **sh, SmartAGId=new_id, CidrBlock="8.8.8.0/24")

    # CreateEnterpriseCode, UpdateSmartAGEnterpriseCode
    expect_ok(flavor, p + "create code", "CreateEnterpriseCode", **sh, EnterpriseCode="AB123")
    expect_error(flavor, p + "create code twice", "CreateEnterpriseCode",
                 "EnterpriseCode.BeenOccupied", 400, **sh, EnterpriseCode="ab123")
    if new_id:
        expect_ok(flavor, p + "bind code", "UpdateSmartAGEnterpriseCode",
                  **sh, SmartAGId=new_id, EnterpriseCode="AB123")
    expect_error(flavor, p + "bind code to nothing", "UpdateSmartAGEnterpriseCode",
                 "SAG.InstanceNoFound", 400, **sh, SmartAGId="sag-nothing", EnterpriseCode="AB123")

    enterprise_codes(flavor, p, sh, bound=new_id is not None)

    # CreateSmartAccessGatewayClientUser
    body = expect_ok(flavor, p + "create user", "CreateSmartAccessGatewayClientUser",
                     **user, Password="duuf1234", UserMail="username@example.com", Bandwidth=20)
    if body is not None:
        got = flavor.user(body)
        check(p + "create user: fields",
              (got["UserName"], got["UserMail"], got["Bandwidth"]) == ("doctest1", "username@example.com", 20),
              repr(got))
        check(p + "create user: RequestId", is_request_id(got["RequestId"]), repr(got["RequestId"]))
    expect_error(flavor, p + "create user twice", "CreateSmartAccessGatewayClientUser",
                 "ClientUser.UserExist", 400, **user, Password="duuf1234", UserMail="username@example.com")
    expect_error(flavor, p + "create user short name", "CreateSmartAccessGatewayClientUser",
                 "ClientUser.NameInvalid", 400, **app1, UserName="abc", Password="duuf1234",
                 UserMail="username@example.com")
    if not flavor.always_sends_region:
        expect_error(flavor, p + "create user no region", "CreateSmartAccessGatewayClientUser",
                     "MissingParameter", 403, SmartAGId="sag-app1", UserName="doctest9", Password="duuf1234",
                     UserMail="username@example.com")

    online_clients(flavor, p, app1, connect)

    # ModifySmartAccessGatewayClientUser
    body = expect_ok(flavor, p + "modify user", "ModifySmartAccessGatewayClientUser",
                     **user, Bandwidth=30, Email="new@example.com")
    if body is not None:
        got = flavor.user(body)
        check(p + "modify user: fields", (got["UserMail"], got["Bandwidth"]) == ("new@example.com", 30), repr(got))
    expect_error(flavor, p + "modify nobody", "ModifySmartAccessGatewayClientUser",
                 "ResourceNotFound.User", 400, **app1, UserName="nobody12", Bandwidth=30)

    # DisableSmartAccessGatewayUser, DescribeSmartAccessGatewayClientUsers
    expect_ok(flavor, p + "disable", "DisableSmartAccessGatewayUser", **user)
    expect_error(flavor, p + "disable nobody", "DisableSmartAccessGatewayUser",
                 "ResourceNotFound.User", 400, **app1, UserName="nobody12")
    body = expect_ok(flavor, p + "describe", "DescribeSmartAccessGatewayClientUsers", **app1)
    if body is not None:
        got = flavor.page(body)
        check(p + "describe: page", (got["TotalCount"], got["PageNumber"], got["PageSize"]) == (1, 1, 10), repr(got))
        first = got["Users"][0] if got["Users"] else {}
        check(p + "describe: user",
              (first.get("UserName"), first.get("UserMail"), first.get("Bandwidth"), first.get("State"))
              == ("doctest1", "new@example.com", 30, 1),
              repr(first))
    expect_error(flavor, p + "describe PageSize=101", "DescribeSmartAccessGatewayClientUsers",
                 "InvalidParameter", 400, **app1, PageSize=101)

    # EnableSmartAccessGatewayUser
    expect_ok(flavor, p + "enable", "EnableSmartAccessGatewayUser", **user)
    expect_error(flavor, p + "enable elsewhere", "EnableSmartAccessGatewayUser",
                 "SAG.InstanceNoFound", 400, RegionId="cn-beijing", SmartAGId="sag-app1", UserName="doctest1")
    body = expect_ok(flavor, p + "describe by name", "DescribeSmartAccessGatewayClientUsers", **app1, UserName="doctest1")
    if body is not None:
        users = flavor.page(body)["Users"]
        check(p + "describe: enabled again", [u["State"] for u in users] == [0], repr(users))

    # ResetSmartAccessGatewayClientUserPassword
    expect_ok(flavor, p + "reset password", "ResetSmartAccessGatewayClientUserPassword", **user, Password="newpass12")
    expect_error(flavor, p + "reset password invalid", "ResetSmartAccessGatewayClientUserPassword",
                 "ClientUser.PasswordInvalid", 400, **user, Password="a.b")

    # RoamClientUser
    roam = {"RegionId": "ap-southeast-1", "TargetSmartAGId": "sag-app2",
            "OriginRegionId": "cn-shanghai", "OriginSmartAGId": "sag-app1", "UserName": "doctest1"}
    body = expect_ok(flavor, p + "roam", "RoamClientUser", **roam)
    check(p + "roam: RequestId", body is not None and is_request_id(flavor.request_id(body)))
    expect_error(flavor, p + "roam twice", "RoamClientUser", "ClientUser.UserExist", 400, **roam)

    # DeleteSmartAccessGatewayClientUser
    expect_ok(flavor, p + "delete", "DeleteSmartAccessGatewayClientUser", **user)
    expect_error(flavor, p + "delete twice", "DeleteSmartAccessGatewayClientUser",
                 "ResourceNotFound.User", 400, **user)


def online_clients(flavor, p, app1, connect):
    """DescribeUserOnlineClients and KickOutClients of doctest1 on sag-app1, connected twice
    through the control endpoint (`connect`)."""
    sessions = [connect("sag-app1", "doctest1"), connect("sag-app1", "doctest1")]
    check(p + "connect: the lowest free hosts", [ip for ip, _ in sessions] == ["10.0.0.1", "10.0.0.2"],
          repr(sessions))
    body = expect_ok(flavor, p + "describe online", "DescribeUserOnlineClients", **app1, UserName="doctest1")
    if body is not None:
        got = flavor.online(body)
        # OnlineTime travels as text, as the API model has it.
        check(p + "describe online: the sessions", got == [(ip, str(t)) for ip, t in sessions], repr(got))
        check(p + "describe online: RequestId", is_request_id(flavor.request_id(body)))
    body = expect_ok(flavor, p + "describe online, no such user", "DescribeUserOnlineClients", **app1,
                     UserName="nobody12")
    check(p + "describe online, no such user: none", body is not None and flavor.online(body) == [])
    expect_error(flavor, p + "describe online short name", "DescribeUserOnlineClients",
                 "ClientUser.NameInvalid", 400, **app1, UserName="abc")
    expect_error(flavor, p + "describe online elsewhere", "DescribeUserOnlineClients",
                 "SAG.InstanceNoFound", 400, RegionId="cn-beijing", SmartAGId="sag-app1", UserName="doctest1")
    body = expect_ok(flavor, p + "kick out", "KickOutClients", **app1, Username="doctest1")
    check(p + "kick out: RequestId", body is not None and is_request_id(flavor.request_id(body)))
    body = expect_ok(flavor, p + "describe online after the kick-out", "DescribeUserOnlineClients", **app1,
                     UserName="doctest1")
    check(p + "kicked out: none online", body is not None and flavor.online(body) == [])
    expect_error(flavor, p + "kick out short name", "KickOutClients",
                 "ClientUser.NameInvalid", 400, **app1, Username="abc")
    expect_error(flavor, p + "kick out nowhere", "KickOutClients",
                 "SAG.InstanceNoFound", 400, RegionId="cn-shanghai", SmartAGId="sag-nothing", Username="doctest1")


def enterprise_codes(flavor, p, sh, bound):
    """ListEnterpriseCode, UpdateEnterpriseCode, DeleteEnterpriseCode and ClientToken retries,
    after AB123 was created (and bound to the new instance when `bound`)."""
    expect_ok(flavor, p + "create code CD456", "CreateEnterpriseCode", **sh, EnterpriseCode="CD456")
    expect_ok(flavor, p + "create code EF789", "CreateEnterpriseCode", **sh, EnterpriseCode="EF789",
              ClientToken=f"{p}create-ef789")
    # The retry of a create with its token answers the first success (not BeenOccupied).
    expect_ok(flavor, p + "create code EF789 retried", "CreateEnterpriseCode", **sh, EnterpriseCode="EF789",
              ClientToken=f"{p}create-ef789")

    # ListEnterpriseCode: two pages of two, in creation order.
    body = expect_ok(flavor, p + "list codes", "ListEnterpriseCode", **sh, MaxResults=2)
    token = None
    if body is not None:
        got = flavor.codes(body)
        token = got["NextToken"]
        check(p + "list codes: first page",
              (got["TotalCount"], got["MaxResults"], got["Codes"]) == (3, 2, [("AB123", False), ("CD456", False)]),
              repr(got))
        check(p + "list codes: a next token", isinstance(token, str) and len(token) == 32, repr(token))
    if token:
        body = expect_ok(flavor, p + "list codes, next page", "ListEnterpriseCode", RegionId="ap-southeast-1",
                         MaxResults=2, NextToken=token)
        if body is not None:
            got = flavor.codes(body)
            check(p + "list codes: last page", (got["Codes"], got["NextToken"]) == ([("EF789", False)], ""),
                  repr(got))
        expect_error(flavor, p + "list codes, token of another listing", "ListEnterpriseCode",
                     "InvalidParameter", 400, **sh, IsDefault=True, NextToken=token)
    expect_error(flavor, p + "list codes MaxResults=101", "ListEnterpriseCode",
                 "InvalidParameter", 400, **sh, MaxResults=101)

    # UpdateEnterpriseCode: the one default code.
    expect_ok(flavor, p + "make CD456 the default", "UpdateEnterpriseCode", **sh, EnterpriseCode="cd456",
              IsDefault=True)
    body = expect_ok(flavor, p + "list the default", "ListEnterpriseCode", **sh, IsDefault=True)
    if body is not None:
        got = flavor.codes(body)
        check(p + "list the default: CD456", (got["TotalCount"], got["Codes"]) == (1, [("CD456", True)]), repr(got))
    expect_error(flavor, p + "update a code never created", "UpdateEnterpriseCode",
                 "EnterpriseCode.NotExist", 400, **sh, EnterpriseCode="ZZ999", IsDefault=True)

    # DeleteEnterpriseCode: the default, a bound code, then a retried delete that deletes once.
    expect_error(flavor, p + "delete the default", "DeleteEnterpriseCode",
                 "EnterpriseCode.DeleteLimit", 400, **sh, EnterpriseCode="CD456")
    if bound:
        expect_error(flavor, p + "delete a bound code", "DeleteEnterpriseCode",
                     "EnterpriseCode.BeingUsed", 400, **sh, EnterpriseCode="AB123")
    delete = {**sh, "EnterpriseCode": "EF789", "ClientToken": f"{p}delete-ef789"}
    expect_ok(flavor, p + "delete EF789", "DeleteEnterpriseCode", **delete)
    body = expect_ok(flavor, p + "delete EF789 retried with its token", "DeleteEnterpriseCode", **delete)
    check(p + "retried delete: RequestId", body is not None and is_request_id(flavor.request_id(body)))
    body = expect_ok(flavor, p + "list after the deletion", "ListEnterpriseCode", **sh)
    if body is not None:
        got = flavor.codes(body)
        check(p + "one deletion", [c for c, _ in got["Codes"]] == ["AB123", "CD456"], repr(got))
    expect_error(flavor, p + "delete EF789 again without a token", "DeleteEnterpriseCode",
                 "EnterpriseCode.NotExist", 400, **sh, EnterpriseCode="EF789")
    expect_error(flavor, p + "the delete's token on another code", "DeleteEnterpriseCode",
                 "IdempotentParameterMismatch", 400, **{**delete, "EnterpriseCode": "AB123"})
    expect_error(flavor, p + "ClientToken of 65 characters", "DeleteEnterpriseCode",
                 "InvalidParameter", 400, **sh, EnterpriseCode="AB123", ClientToken="t" * 65)
    # Back to no default, so the next flavor's account (reset anyway) starts alike.
    expect_ok(flavor, p + "make CD456 ordinary", "UpdateEnterpriseCode", **sh, EnterpriseCode="CD456",
              IsDefault=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()

    flavors = {
        "acs3": lambda key, secret: TeaFlavor(args.endpoint, key, secret, None),
        "v2": lambda key, secret: TeaFlavor(args.endpoint, key, secret, "v2"),
        "core": lambda key, secret: CoreFlavor(args.endpoint, key, secret),
    }
    describe = {"RegionId": "cn-shanghai", "SmartAGId": "sag-app1"}
    for name, make in flavors.items():
        reset(args.endpoint, args.key, args.secret)
        run(name, make(args.key, args.secret),
            lambda sag, user: connect(args.endpoint, args.key, args.secret, sag, user))
        wrong = make(args.key, args.secret + "x")
        expect_error(wrong, f"{name}: wrong secret",
                     "DescribeSmartAccessGatewayClientUsers", wrong.wrong_secret_code, 400, **describe)
        expect_error(make("unknown-key", args.secret), f"{name}: unknown key",
                     "DescribeSmartAccessGatewayClientUsers", "InvalidAccessKeyId.NotFound", 404, **describe)

    return report(f"checks passed across {len(flavors)} SDK flavors")


if __name__ == "__main__":
    sys.exit(main())
