"""The pytest plugin as a user meets it: only its fixtures, both official SDKs, the wheel's binary.

The account starts, and is reset before each test, to ``fixtures.txt`` (the ini option
``smartag_emulator_fixtures`` in ``pyproject.toml``): ``sag-app1`` in cn-shanghai and
``sag-app2`` in ap-southeast-1.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest
from alibabacloud_smartag20180313 import models
from alibabacloud_smartag20180313.client import Client
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdksmartag.request.v20180313.CreateSmartAccessGatewayClientUserRequest import (
    CreateSmartAccessGatewayClientUserRequest,
)
from aliyunsdksmartag.request.v20180313.DescribeSmartAccessGatewayClientUsersRequest import (
    DescribeSmartAccessGatewayClientUsersRequest,
)
from aliyunsdksmartag.request.v20180313.RoamClientUserRequest import RoamClientUserRequest
from Tea.exceptions import TeaException

from smartag_emulator import BINARY_ENV, WELL_KNOWN_KEY_ID, WELL_KNOWN_KEY_SECRET, ControlError, Emulator


def create_user(client: Client, name: str, smart_ag_id: str = "sag-app1") -> models.CreateSmartAccessGatewayClientUserResponseBody:
    """Creates a client user on a cn-shanghai instance with the newer SDK."""
    request = models.CreateSmartAccessGatewayClientUserRequest(
        region_id="cn-shanghai",
        smart_agid=smart_ag_id,
        user_name=name,
        password="duuf1234",
        user_mail="username@example.com",
        bandwidth=20,
    )
    return client.create_smart_access_gateway_client_user(request).body


def user_names(client: Client, region: str, smart_ag_id: str) -> List[str]:
    """The names of an instance's client users, listed with the newer SDK."""
    request = models.DescribeSmartAccessGatewayClientUsersRequest(region_id=region, smart_agid=smart_ag_id)
    body = client.describe_smart_access_gateway_client_users(request).body
    users = body.users.user if body.users and body.users.user else []
    assert body.total_count == len(users)
    return [user.user_name for user in users]


def acs_call(client: AcsClient, request: Any, region: str) -> Dict[str, Any]:
    """Sends an older-SDK request in `region` and answers its parsed JSON body."""
    request.add_query_param("RegionId", region)
    answer: Dict[str, Any] = json.loads(client.do_action_with_exception(request))
    return answer


def test_the_fixture_serves_a_started_emulator_from_the_wheel(smartag_emulator: Emulator) -> None:
    assert smartag_emulator.running and smartag_emulator.health()
    assert smartag_emulator.endpoint == f"http://127.0.0.1:{smartag_emulator.port}"
    assert smartag_emulator.address == f"127.0.0.1:{smartag_emulator.port}"
    assert (smartag_emulator.access_key_id, smartag_emulator.access_key_secret) == (
        WELL_KNOWN_KEY_ID,
        WELL_KNOWN_KEY_SECRET,
    )
    assert smartag_emulator.region == "cn-shanghai"
    if not os.environ.get(BINARY_ENV):
        # The binary the wheel installed into this environment, not one of a cargo build.
        binary = smartag_emulator.binary
        assert binary is not None
        assert Path(sys.prefix).resolve() in binary.resolve().parents, binary


def test_create_a_client_user(smartag_client: Client) -> None:
    body = create_user(smartag_client, "doctest1")
    assert (body.user_name, body.user_mail, body.bandwidth, body.client_ip) == (
        "doctest1",
        "username@example.com",
        20,
        "",
    )
    assert len(body.request_id) == 36


def test_list_client_users(smartag_client: Client) -> None:
    assert user_names(smartag_client, "cn-shanghai", "sag-app1") == []
    create_user(smartag_client, "doctest1")
    create_user(smartag_client, "doctest2")
    assert sorted(user_names(smartag_client, "cn-shanghai", "sag-app1")) == ["doctest1", "doctest2"]
    assert user_names(smartag_client, "ap-southeast-1", "sag-app2") == []


def test_roam_a_client_user_with_the_older_sdk(smartag_acs_client: AcsClient) -> None:
    create = CreateSmartAccessGatewayClientUserRequest()
    create.set_SmartAGId("sag-app1")
    create.set_UserName("roamer01")
    create.set_Password("duuf1234")
    create.set_UserMail("roamer@example.com")
    assert acs_call(smartag_acs_client, create, "cn-shanghai")["UserName"] == "roamer01"

    roam = RoamClientUserRequest()
    roam.set_OriginRegionId("cn-shanghai")
    roam.set_OriginSmartAGId("sag-app1")
    roam.set_TargetSmartAGId("sag-app2")
    roam.set_UserName("roamer01")
    assert len(acs_call(smartag_acs_client, roam, "ap-southeast-1")["RequestId"]) == 36

    describe = DescribeSmartAccessGatewayClientUsersRequest()
    describe.set_SmartAGId("sag-app2")
    page = acs_call(smartag_acs_client, describe, "ap-southeast-1")
    assert [u["UserName"] for u in page["Users"]["User"]] == ["roamer01"]


def test_roam_a_client_user_with_the_newer_sdk(smartag_client: Client) -> None:
    create_user(smartag_client, "roamer02")
    smartag_client.roam_client_user(
        models.RoamClientUserRequest(
            region_id="ap-southeast-1",
            origin_region_id="cn-shanghai",
            origin_smart_agid="sag-app1",
            target_smart_agid="sag-app2",
            user_name="roamer02",
        )
    )
    assert user_names(smartag_client, "ap-southeast-1", "sag-app2") == ["roamer02"]


def test_an_invalid_user_name_is_the_services_error(smartag_client: Client) -> None:
    with pytest.raises(TeaException) as raised:
        create_user(smartag_client, "abc")
    assert raised.value.code == "ClientUser.NameInvalid"
    assert raised.value.message.startswith("code: 400, The specified UserName is invalid.")
    assert raised.value.data["statusCode"] == 400


def test_an_invalid_user_name_with_the_older_sdk(smartag_acs_client: AcsClient) -> None:
    create = CreateSmartAccessGatewayClientUserRequest()
    create.set_SmartAGId("sag-app1")
    create.set_UserName("abc")
    create.set_Password("duuf1234")
    create.set_UserMail("username@example.com")
    with pytest.raises(ServerException) as raised:
        acs_call(smartag_acs_client, create, "cn-shanghai")
    assert (raised.value.get_http_status(), raised.value.get_error_code()) == (400, "ClientUser.NameInvalid")
    assert raised.value.get_error_msg() == "The specified UserName is invalid."


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_starts_from_the_fixtures(smartag_client: Client, run: str) -> None:
    # Whichever of the two runs second would meet ClientUser.UserExist without the reset.
    create_user(smartag_client, "isolated")
    assert user_names(smartag_client, "cn-shanghai", "sag-app1") == ["isolated"]


@pytest.mark.smartag_fixtures(
    "instance sag-extra region=cn-beijing users=1 cidr=10.9.0.0/24",
    "Action=CreateSmartAccessGatewayClientUser&RegionId=cn-beijing&SmartAGId=sag-extra"
    "&UserName=present1&Password=duuf1234&UserMail=a%40example.com",
)
def test_a_marker_adds_fixture_lines_for_one_test(smartag_client: Client) -> None:
    assert user_names(smartag_client, "cn-beijing", "sag-extra") == ["present1"]


def test_a_markers_lines_are_gone_in_the_next_test(smartag_client: Client) -> None:
    with pytest.raises(TeaException) as raised:
        user_names(smartag_client, "cn-beijing", "sag-extra")
    assert raised.value.code == "SAG.InstanceNoFound"


def test_broken_fixture_lines_are_refused_and_change_nothing(smartag: Emulator) -> None:
    with pytest.raises(ControlError) as raised:
        smartag.load_fixtures("instance sag-app3 region=cn-shanghai users=1\ninstnace sag-x\n")
    assert raised.value.status == 400 and "InvalidFixtures" in raised.value.body
    with pytest.raises(TeaException) as missing:
        user_names(smartag.client(), "cn-shanghai", "sag-app3")
    assert missing.value.code == "SAG.InstanceNoFound"


def test_a_connected_user_is_listed_online_then_kicked_out(smartag: Emulator) -> None:
    client = smartag.client()
    create_user(client, "online01")
    first, second = smartag.connect("sag-app1", "online01"), smartag.connect("sag-app1", "online01")
    assert [first[0], second[0]] == ["10.0.0.1", "10.0.0.2"]
    request = models.DescribeUserOnlineClientsRequest(
        region_id="cn-shanghai", smart_agid="sag-app1", user_name="online01"
    )
    users = client.describe_user_online_clients(request).body.users.user
    assert [(u.client_ip, u.online_time) for u in users] == [(ip, str(t)) for ip, t in (first, second)]
    client.kick_out_clients(
        models.KickOutClientsRequest(region_id="cn-shanghai", smart_agid="sag-app1", username="online01")
    )
    assert not client.describe_user_online_clients(request).body.users.user
    with pytest.raises(ControlError) as refused:
        smartag.connect("sag-app1", "nobody99")
    assert refused.value.status == 400 and "ConnectRefused" in refused.value.body


def test_the_rpc_signing_of_the_newer_sdk(smartag: Emulator) -> None:
    client = smartag.client(signature_algorithm="v2")
    create_user(client, "rpcuser1")
    assert user_names(client, "cn-shanghai", "sag-app1") == ["rpcuser1"]
