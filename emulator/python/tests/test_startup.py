"""How an emulator is started as the ini options say, and how a start fails (inner pytest
sessions); the Emulator class on its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alibabacloud_smartag20180313 import models
from Tea.exceptions import TeaException

from smartag_emulator import Emulator

INSTANCE = "instance sag-app1 region=cn-shanghai users=5 cidr=10.0.0.0/24\n"


def test_a_broken_fixtures_file_shows_the_emulators_stderr(pytester: pytest.Pytester) -> None:
    pytester.makefile(".txt", broken=INSTANCE + "instnace sag-x\n")
    pytester.makeini("[pytest]\nsmartag_emulator_fixtures = broken.txt\n")
    pytester.makepyfile("def test_one(smartag):\n    pass\n\ndef test_two(smartag):\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*smartag-emulator did not start: it exited before listening (exit status 1); its stderr:",
            "*fixtures, line 2: unknown word `instnace`*",
        ]
    )


def test_a_missing_fixtures_file_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nsmartag_emulator_fixtures = nowhere.txt\n")
    pytester.makepyfile("def test_one(smartag):\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*smartag_emulator_fixtures: *nowhere.txt is no file*"])


def test_the_ini_options_choose_the_key_region_and_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makefile(".txt", first=INSTANCE, second="instance sag-app2 region=cn-beijing users=5 cidr=10.1.0.0/24\n")
    pytester.makeini(
        "[pytest]\n"
        "smartag_emulator_fixtures =\n    first.txt\n    second.txt\n"
        "smartag_emulator_access_key = testid:testsecret\n"
        "smartag_emulator_region = cn-beijing\n"
    )
    pytester.makepyfile(
        """
        from alibabacloud_smartag20180313 import models

        def test_key_region_and_both_files(smartag, smartag_client):
            assert (smartag.access_key_id, smartag.access_key_secret, smartag.region) == (
                "testid", "testsecret", "cn-beijing")
            for region, instance in [("cn-shanghai", "sag-app1"), ("cn-beijing", "sag-app2")]:
                request = models.DescribeSmartAccessGatewayClientUsersRequest(
                    region_id=region, smart_agid=instance)
                body = smartag_client.describe_smart_access_gateway_client_users(request).body
                assert body.total_count == 0
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)


def test_a_bad_access_key_option_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nsmartag_emulator_access_key = no-secret\n")
    pytester.makepyfile("def test_one(smartag_emulator):\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*smartag_emulator_access_key is written ID:SECRET*"])


def test_the_emulator_class_outside_the_fixtures(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures.txt"
    fixtures.write_text(INSTANCE)
    emulator = Emulator(fixtures=fixtures, access_key_id="classid", access_key_secret="classsecret")
    with emulator:
        assert emulator.running and emulator.health()
        emulator.load_fixtures("instance sag-app9 region=cn-beijing users=1\n")
        body = describe(emulator, "cn-beijing", "sag-app9")
        assert body.total_count == 0
    assert not emulator.running and emulator.stop() is None
    # Started again: a new process with the start fixtures only.
    with emulator:
        assert describe(emulator, "cn-shanghai", "sag-app1").total_count == 0
        with pytest.raises(TeaException) as raised:
            describe(emulator, "cn-beijing", "sag-app9")
        assert raised.value.code == "SAG.InstanceNoFound"
        assert emulator.stop() == 0  # SIGTERM stops it gracefully


def describe(emulator: Emulator, region: str, instance: str) -> Any:
    """The newer SDK's DescribeSmartAccessGatewayClientUsers body."""
    request = models.DescribeSmartAccessGatewayClientUsersRequest(region_id=region, smart_agid=instance)
    return emulator.client().describe_smart_access_gateway_client_users(request).body
