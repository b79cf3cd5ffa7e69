# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pathlib

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.hacluster.crm.plugins.module_utils import _corosync as cc
from ansible_collections.hacluster.crm.plugins.module_utils._corosync_conf import plan

CORPUS_DIR = pathlib.Path(__file__).parent / "corosync_corpus"
CORPUS = sorted(CORPUS_DIR.glob("*.conf"))


def read(path: pathlib.Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_corpus_with_crlf_line_endings_round_trips():
    # kept with LF in git (sanity's line-endings rule); Windows-edited files do reach servers
    for path in CORPUS:
        text = read(path).replace("\n", "\r\n")
        assert cc.render(cc.parse(text)) == text


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_round_trip_is_byte_identical(path):
    text = read(path)
    assert cc.render(cc.parse(text)) == text


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_setting_the_value_in_effect_changes_nothing(path):
    text = read(path)
    data = cc.to_data(cc.parse(text))
    provider = data["quorum"]["provider"]
    new, changed = plan(text, {"quorum.provider": provider}, None, path.name)
    assert new == text
    assert not changed


def test_corpus_count():
    assert len(CORPUS) >= 5


# ---- reading as corosync does

def test_duplicates_last_wins_across_repeated_sections():
    data = cc.to_data(cc.parse(read(CORPUS_DIR / "tricky-duplicates.conf")))
    assert data["quorum"] == {"provider": "corosync_votequorum", "expected_votes": "2", "two_node": "0"}
    assert data["totem"]["token"] == "3000 # this is part of the value, not a comment"
    assert data["totem"]["crypto_cipher"] == "none"


def test_brace_after_colon_is_part_of_the_value_as_in_corosync():
    assert cc.to_data(cc.parse("totem {\n  version: 2 }\n}\n")) == {"totem": {"version": "2 }"}}


def test_nodes_and_interfaces_are_lists_and_ipv6_keeps_colons():
    data = cc.to_data(cc.parse(read(pathlib.Path(__file__).parent / "corosync_corpus"
                                    / "tricky-ipv6-no-final-newline.conf")))
    assert data["nodelist"]["node"] == [{"ring0_addr": "fd00::11", "ring1_addr": "192.168.7.11",
                                         "name": "a", "nodeid": "1"}]
    assert data["totem"]["interface"] == [{"linknumber": "0", "knet_transport": "udp"}]


# ---- editing

BASE = "totem {\n\tversion: 2\n}\n\nquorum {\n\tprovider: corosync_votequorum\n}\n"


def test_set_existing_key_touches_only_its_line():
    new, changed = plan(BASE, {"totem.version": 3}, None, "f")
    assert new == BASE.replace("version: 2", "version: 3")
    assert changed == ["totem.version"]


def test_set_new_key_follows_file_indentation_tabs():
    new, _changed = plan(BASE, {"quorum.expected_votes": 2}, None, "f")
    assert "\tprovider: corosync_votequorum\n\texpected_votes: 2\n}" in new


def test_set_new_key_follows_file_indentation_spaces():
    text = "totem {\n    version: 2\n}\n"
    new, _changed = plan(text, {"quorum.expected_votes": 2}, None, "f")
    assert new == text + "\nquorum {\n    expected_votes: 2\n}\n"


def test_missing_parent_section_is_created_not_silently_ignored():
    new, changed = plan(BASE, {"logging.to_syslog": "yes"}, None, "f")
    assert cc.to_data(cc.parse(new))["logging"] == {"to_syslog": "yes"}
    assert changed == ["logging.to_syslog"]


def test_nested_sections_created_keyed_by_link():
    new, _changed = plan("", {"totem.interface.0.knet_transport": "udp"}, None, "f")
    assert new == "totem {\n\tinterface {\n\t\tlinknumber: 0\n\t\tknet_transport: udp\n\t}\n}\n"


def test_duplicate_key_new_value_leaves_one_line():
    text = read(CORPUS_DIR / "tricky-duplicates.conf")
    new, changed = plan(text, {"quorum.expected_votes": 5}, None, "f")
    assert new.count("expected_votes") == 1
    assert cc.to_data(cc.parse(new))["quorum"]["expected_votes"] == "5"
    assert changed == ["quorum.expected_votes"]


def test_duplicate_key_value_in_effect_keeps_bytes():
    text = read(CORPUS_DIR / "tricky-duplicates.conf")
    new, changed = plan(text, {"quorum.expected_votes": 2}, None, "f")
    assert new == text and not changed


def test_null_removes_every_occurrence():
    text = read(CORPUS_DIR / "tricky-duplicates.conf")
    new, changed = plan(text, {"quorum.expected_votes": None}, None, "f")
    assert "expected_votes" not in new
    assert changed == ["quorum.expected_votes"]
    again, changed = plan(new, {"quorum.expected_votes": None}, None, "f")
    assert again == new and not changed


def test_edit_keeps_crlf_and_the_separator_style():
    text = "quorum {\r\n\tprovider:corosync_votequorum\r\n}\r\n"
    new, _changed = plan(text, {"quorum.provider": "x"}, None, "f")
    assert new == "quorum {\r\n\tprovider:x\r\n}\r\n"


def test_append_to_file_without_final_newline():
    new, _changed = plan("quorum {\n}", {"totem.version": 2}, None, "f")
    assert cc.to_data(cc.parse(new)) == {"quorum": {}, "totem": {"version": "2"}}


# ---- nodelist

NODES = [{"name": "alice", "nodeid": 1, "ring0_addr": "10.0.0.2"},
         {"name": "bob", "nodeid": 2, "ring0_addr": "10.0.0.3"}]


def test_nodes_created_then_idempotent_and_order_insensitive():
    new, changed = plan(BASE, {}, NODES, "f")
    assert changed == ["nodelist.node"]
    assert cc.to_data(cc.parse(new))["nodelist"]["node"] == [
        {"name": "alice", "nodeid": "1", "ring0_addr": "10.0.0.2"},
        {"name": "bob", "nodeid": "2", "ring0_addr": "10.0.0.3"}]
    again, changed = plan(new, {}, list(reversed(NODES)), "f")
    assert again == new and not changed


def test_node_matched_by_nodeid_gets_new_address_only():
    first, _changed = plan(BASE, {}, NODES, "f")
    moved = [dict(NODES[0], ring0_addr="10.0.0.9"), NODES[1]]
    new, changed = plan(first, {}, moved, "f")
    assert new == first.replace("10.0.0.2", "10.0.0.9")
    assert changed == ["nodelist.node"]


def test_node_removed_and_added():
    first, _changed = plan(BASE, {}, NODES, "f")
    new, _changed = plan(first, {}, [NODES[0], {"name": "carol", "nodeid": 3, "ring0_addr": "10.0.0.4"}], "f")
    names = [n["name"] for n in cc.to_data(cc.parse(new))["nodelist"]["node"]]
    assert names == ["alice", "carol"]


def test_undeclared_node_key_is_removed():
    first, _changed = plan(BASE, {}, [dict(NODES[0], ring1_addr="192.168.0.2")], "f")
    new, _changed = plan(first, {}, [NODES[0]], "f")
    assert "ring1_addr" not in new


def test_real_crmsh_file_nodes_matched_in_place():
    text = read(pathlib.Path(__file__).parent / "corosync_corpus" / "crmsh-init.conf")
    new, changed = plan(text, {}, list(reversed(NODES)), "f")
    assert new == text and not changed


# ---- reload or restart

@pytest.mark.parametrize("keys,expected", [
    ([], (False, False)),
    (["quorum.expected_votes"], (True, False)),
    (["quorum.two_node", "nodelist.node"], (True, False)),
    (["totem.token"], (False, True)),
    (["quorum.expected_votes", "totem.token"], (False, True)),
    (["quorum.provider"], (False, True)),
])
def test_reload_or_restart(keys, expected):
    assert cc.reload_or_restart(keys) == expected


# ---- errors: each names the offender, and nothing is produced

@pytest.mark.parametrize("text,message", [
    ("totem {\n", "f:1: parser error: Missing closing brace"),
    ("}\n", "f:1: parser error: Unexpected closing brace"),
    ("totem { version: 2\n}\n", "f:1: parser error: Extra characters after opening bracket"),
    ("totem\n{\n}\n", "f:1: parser error: line is neither"),
    ("{\n}\n", "f:1: parser error: Missing section name"),
    ("totem {\n  : x\n}\n", "f:2: parser error: Key name can't be empty"),
    ("totem {\n}\n}\n", "f:3: parser error: Unexpected closing brace"),
])
def test_parse_errors_name_file_and_line(text, message):
    with pytest.raises(cc.CorosyncConfError, match=message.replace("{", r"\{").replace("(", r"\(")):
        cc.parse(text, "f")


@pytest.mark.parametrize("settings_,message", [
    ({"quorum.x": "a\nb"}, "invalid value for quorum.x"),
    ({"quorum.x": "a{"}, "invalid value for quorum.x"),
    ({"quorum.x": "a}"}, "invalid value for quorum.x"),
    ({"quorum.x": "#a"}, "invalid value for quorum.x"),
    ({"quorum.x": True}, "value of quorum.x is a boolean"),
    ({"quorum.x y": 1}, "invalid key 'quorum.x y'"),
    ({"quorum.ké": 1}, "invalid key"),
    ({"quorum": 1}, "has no section"),
    ({"nodelist.node.name": "a"}, "set with the nodes option"),
])
def test_bad_settings_refused(settings_, message):
    with pytest.raises(cc.CorosyncConfError, match=message):
        plan(BASE, settings_, None, "f")


@pytest.mark.parametrize("nodes,message", [
    ([{"ring1_addr": "10.0.0.1"}], r"nodes\[0\] needs a nodeid, a name or a ring0_addr"),
    ([{"ring0_addr": "10.0.0.1"}, {"ring0_addr": "10.0.0.1"}], "ring0_addr 10.0.0.1 is given twice"),
    ([{"name": "a", "nodeid": "x"}], "nodeid 'x' is not a positive integer"),
    ([{"name": "a", "nodeid": 1}, {"name": "b", "nodeid": 1}], "nodeid 1 is given twice"),
    ([{"name": "a", "bad key": 1}], "invalid node key 'bad key'"),
    ([{"name": "a{"}], "invalid value"),
])
def test_bad_nodes_refused(nodes, message):
    with pytest.raises(cc.CorosyncConfError, match=message):
        plan(BASE, {}, nodes, "f")


def test_interface_without_its_link_refused():
    text = "totem {\n\tinterface {\n\t}\n\tinterface {\n\t}\n}\n"
    with pytest.raises(cc.CorosyncConfError, match=r"totem.interface sections are told apart by linknumber"):
        plan(text, {"totem.interface.knet_transport": "udp"}, None, "f")


# ---- property: any valid file renders back to its own bytes

NAME = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
VALUE = st.from_regex(r"[A-Za-z0-9_.:/ -]{0,12}", fullmatch=True).map(str.strip)
BLANK = st.sampled_from(["", " ", "\t", "  \t"])
EOL = st.sampled_from(["\n", "\r\n"])


@st.composite
def conf_lines(draw, depth=0):
    lines = []
    for _item in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["pair", "blank", "comment", "section"] if depth < 3 else ["pair", "blank"]))
        lead = draw(BLANK)
        if kind == "pair":
            sep = draw(st.sampled_from([":", ": ", " : ", ":\t"]))
            lines.append(lead + draw(NAME) + sep + draw(VALUE) + draw(BLANK) + draw(EOL))
        elif kind == "blank":
            lines.append(draw(BLANK) + draw(EOL))
        elif kind == "comment":
            lines.append(lead + "#" + draw(VALUE) + draw(st.sampled_from(["", "{", "}", ":"])) + draw(EOL))
        else:
            lines.append(lead + draw(NAME) + draw(st.sampled_from([" {", "{", "  {\t"])) + draw(EOL))
            lines += draw(conf_lines(depth + 1))
            lines.append(draw(BLANK) + "}" + draw(BLANK) + draw(EOL))
    return lines


@settings(max_examples=300, deadline=None)
@given(conf_lines(), st.booleans())
def test_property_round_trip(lines, strip_final_newline):
    text = "".join(lines)
    if strip_final_newline:
        text = text.rstrip("\r\n")
    assert cc.render(cc.parse(text)) == text


@settings(max_examples=200, deadline=None)
@given(conf_lines(), st.from_regex(r"sec[0-9]{1,2}", fullmatch=True), NAME, VALUE.filter(bool))
def test_property_set_then_read_back_and_idempotent(lines, section, key, value):
    text = "".join(lines)
    new, _changed = plan(text, {"%s.%s" % (section, key): value}, None, "f")
    data = cc.to_data(cc.parse(new))
    assert data[section][key] == value
    again, changed = plan(new, {"%s.%s" % (section, key): value}, None, "f")
    assert again == new and not changed


# ---- repeated sections as corosync reads them (nodelist by position, interface by link,
# ---- logger_subsys by subsys)

TWO_NODELISTS = CORPUS_DIR / "tricky-two-nodelists.conf"
IDLESS = CORPUS_DIR / "corosync-udpu-idless.conf"


def test_two_nodelist_sections_are_merged_node_by_node():
    data = cc.to_data(cc.parse(read(TWO_NODELISTS)))
    assert data["nodelist"]["node"] == [
        {"name": "node1", "nodeid": "1", "ring0_addr": "192.168.1.1", "ring1_addr": "10.0.0.1"},
        {"name": "node2", "nodeid": "2", "ring0_addr": "192.168.1.2"}]


def test_two_nodelist_sections_same_nodelist_is_a_no_op():
    text = read(TWO_NODELISTS)
    nodes = cc.to_data(cc.parse(text))["nodelist"]["node"]
    new, changed = plan(text, {}, list(reversed(nodes)), "f")
    assert new == text and not changed


def test_two_nodelist_sections_are_never_cut_down():
    text = read(TWO_NODELISTS)
    only_last = [{"name": "node1", "ring1_addr": "10.0.0.1"}]
    with pytest.raises(cc.CorosyncConfError, match="2 nodelist sections.*describes 2 nodes \\(node1, node2\\)"):
        plan(text, {}, only_last, "f")
    with pytest.raises(cc.CorosyncConfError, match="Nothing was changed"):
        plan(text, {}, [{"name": "node1", "nodeid": 1, "ring0_addr": "192.168.1.1"}], "f")


def test_two_nodelist_sections_other_settings_still_edit():
    text = read(TWO_NODELISTS)
    new, changed = plan(text, {"quorum.expected_votes": 2}, None, "f")
    assert changed == ["quorum.expected_votes"]
    assert cc.to_data(cc.parse(new))["nodelist"] == cc.to_data(cc.parse(text))["nodelist"]


def test_interfaces_merged_by_link():
    data = cc.to_data(cc.parse(read(TWO_NODELISTS)))
    assert data["totem"]["interface"] == [
        {"linknumber": "0", "knet_transport": "udp", "knet_link_priority": "5"},
        {"linknumber": "1", "knet_transport": "sctp"}]


def test_interface_setting_goes_to_its_link_only():
    text = read(TWO_NODELISTS)
    new, changed = plan(text, {"totem.interface.1.knet_link_priority": 9}, None, "f")
    assert changed == ["totem.interface.1.knet_link_priority"]
    links = cc.to_data(cc.parse(new))["totem"]["interface"]
    assert links[1] == {"linknumber": "1", "knet_transport": "sctp", "knet_link_priority": "9"}
    assert links[0]["knet_link_priority"] == "5"
    again, changed = plan(new, {"totem.interface.1.knet_link_priority": 9}, None, "f")
    assert again == new and not changed


def test_interface_value_in_effect_on_repeated_link_keeps_bytes():
    text = read(TWO_NODELISTS)
    new, changed = plan(text, {"totem.interface.0.knet_link_priority": 5}, None, "f")
    assert new == text and not changed


def test_ringnumber_counts_as_the_link():
    text = read(IDLESS)
    new, changed = plan(text, {"totem.interface.0.mcastport": 5405}, None, "f")
    assert new == text and not changed


def test_logger_subsys_sections_stay_distinct():
    data = cc.to_data(cc.parse(read(TWO_NODELISTS)))
    assert data["logging"]["logger_subsys"] == [{"subsys": "QUORUM", "debug": "on"},
                                                {"subsys": "KNET", "debug": "off"}]


def test_logger_subsys_addressed_by_subsys_leaves_the_others():
    text = read(TWO_NODELISTS)
    new, changed = plan(text, {"logging.logger_subsys.KNET.debug": "on"}, None, "f")
    assert changed == ["logging.logger_subsys.KNET.debug"]
    assert cc.to_data(cc.parse(new))["logging"]["logger_subsys"] == [{"subsys": "QUORUM", "debug": "on"},
                                                                     {"subsys": "KNET", "debug": "on"}]
    new, _changed = plan(text, {"logging.logger_subsys.CMAP.debug": "on"}, None, "f")
    assert cc.to_data(cc.parse(new))["logging"]["logger_subsys"][2] == {"subsys": "CMAP", "debug": "on"}


@pytest.mark.parametrize("key,message", [
    ("logging.logger_subsys.debug", "logging.logger_subsys sections are told apart by subsys"),
    ("logging.logger_subsys.QUORUM.subsys", "is its address, not a setting"),
    ("totem.interface.0.linknumber", "is its address, not a setting"),
])
def test_keyed_sections_need_their_address(key, message):
    with pytest.raises(cc.CorosyncConfError, match=message):
        plan(read(TWO_NODELISTS), {key: "on"}, None, "f")


# ---- nodes with neither nodeid nor name

def test_idless_nodes_read_and_rerun_is_a_no_op():
    text = read(IDLESS)
    nodes = cc.to_data(cc.parse(text))["nodelist"]["node"]
    assert nodes == [{"ring0_addr": "10.16.35.101"}, {"ring0_addr": "10.16.35.102"}]
    new, changed = plan(text, {}, nodes, "f")
    assert new == text and not changed


def test_idless_node_matched_by_address_gets_a_name_in_place():
    text = read(IDLESS)
    new, changed = plan(text, {}, [{"ring0_addr": "10.16.35.101", "name": "a", "nodeid": 1},
                                   {"ring0_addr": "10.16.35.102"}], "f")
    assert changed == ["nodelist.node"]
    assert cc.to_data(cc.parse(new))["nodelist"]["node"][0] == {"ring0_addr": "10.16.35.101", "name": "a",
                                                                "nodeid": "1"}
    assert new.count("node {") == 2


def test_empty_node_section_is_reported_as_such():
    text = "nodelist {\n\tnode {\n\t}\n\tnode {\n\t\tring0_addr: 10.0.0.1\n\t}\n}\n"
    assert cc.to_data(cc.parse(text))["nodelist"]["node"] == [{}, {"ring0_addr": "10.0.0.1"}]
    with pytest.raises(cc.CorosyncConfError, match=r"line 2: an empty 'node \{ \}' section"):
        plan(text, {}, [{"ring0_addr": "10.0.0.1"}], "f")


# ---- what corosync's reader accepts: lines, characters, lengths

@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028"])
def test_only_newline_ends_a_line(separator):
    text = "quorum {\n\tprovider: a%sb\n}\n" % separator
    root = cc.parse(text)
    assert cc.render(root) == text
    assert cc.to_data(root) == {"quorum": {"provider": "a%sb" % separator}}


def test_only_blanks_and_tabs_are_stripped():
    assert cc.to_data(cc.parse("quorum {\n\tprovider: a\x0c\n}\n")) == {"quorum": {"provider": "a\x0c"}}


@pytest.mark.parametrize("value", ["a\x00b", "a\nb", "a\rb", "a\x0bb", "a\x85b", "a\x1bb", "a\x7fb"])
def test_control_characters_refused_naming_the_key(value):
    with pytest.raises(cc.CorosyncConfError, match="invalid value for quorum.x: .* control character"):
        plan(BASE, {"quorum.x": value}, None, "f")


def test_value_longer_than_corosync_reads_refused():
    ok = "v" * (cc.MAX_LINE - len("\tx: "))
    new, _changed = plan("", {"quorum.x": ok}, None, "f")
    assert cc.to_data(cc.parse(new))["quorum"]["x"] == ok
    with pytest.raises(cc.CorosyncConfError, match="value of quorum.x is 507 characters long: its line would be 511"):
        plan("", {"quorum.x": ok + "v"}, None, "f")


def test_line_too_long_in_a_file_is_a_parse_error():
    with pytest.raises(cc.CorosyncConfError, match="f:2: parser error: Line too long"):
        cc.parse("quorum {\n\tx: %s\n}\n" % ("v" * 600), "f")


def test_nul_in_a_file_is_a_parse_error():
    with pytest.raises(cc.CorosyncConfError, match="f:2: parser error: a NUL character"):
        cc.parse("quorum {\n\tx: a\x00b\n}\n", "f")


# ---- corosync -t wherever corosync is installed, also outside the nodelist

class FakeRunner:
    def __init__(self, rc, said, installed=True, addresses=("10.9.9.9",)):
        self.rc, self.said, self.installed, self.addresses = rc, said, installed, addresses
        self.calls = []

    def binary(self, name):
        from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError
        if not self.installed:
            raise CommandError("required command %s not found on this host" % name)
        return "/usr/sbin/" + name

    def run(self, argv, data=None, check=True):
        self.calls.append(argv)
        if argv[0] == "ip":
            return 0, '[{"addr_info": [%s]}]' % ", ".join('{"local": "%s"}' % a for a in self.addresses), ""
        return self.rc, "", self.said


GOOD = "totem {\n\tversion: 2\n}\nnodelist {\n\tnode {\n\t\tname: other\n\t\tring0_addr: 10.0.0.1\n\t}\n}\n"


def test_validated_outside_the_nodelist_up_to_finding_the_local_node(tmp_path):
    from ansible_collections.hacluster.crm.plugins.module_utils._corosync_conf import validate
    path = str(tmp_path / "corosync.conf")
    runner = FakeRunner(8, "parse error in config: No valid name found for local host")
    assert validate(runner, GOOD, path) is True
    assert any(argv[:2] == ["corosync", "-t"] for argv in runner.calls)


def test_a_real_refusal_outside_the_nodelist_is_an_error(tmp_path):
    from ansible_collections.hacluster.crm.plugins.module_utils._corosync_conf import validate
    from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError
    runner = FakeRunner(8, 'parser error: Value of key "totem.token" is expected to be integer')
    with pytest.raises(CommandError, match="corosync -t rejected the new .*totem.token"):
        validate(runner, GOOD, str(tmp_path / "corosync.conf"))
    # a member must pass for real: the local-node message is no excuse there
    member = FakeRunner(8, "No valid name found for local host", addresses=("10.0.0.1",))
    with pytest.raises(CommandError):
        validate(member, GOOD, str(tmp_path / "corosync.conf"))


def test_not_validated_where_corosync_is_not_installed(tmp_path):
    from ansible_collections.hacluster.crm.plugins.module_utils._corosync_conf import validate
    assert validate(FakeRunner(0, "", installed=False), GOOD, str(tmp_path / "corosync.conf")) is False


def test_check_mode_on_a_fresh_node_validates_with_a_stand_in_key(tmp_path, monkeypatch):
    from ansible_collections.hacluster.crm.plugins.module_utils import _corosync_conf
    monkeypatch.setattr(_corosync_conf, "DEFAULT_KEYFILE", str(tmp_path / "no-authkey-yet"))
    crypto = GOOD.replace("version: 2", "version: 2\n\tcrypto_cipher: aes256\n\tcrypto_hash: sha256")
    text = _corosync_conf.with_stand_in_key(crypto, "f", str(tmp_path))
    keyfile = cc.to_data(cc.parse(text))["totem"]["keyfile"]
    assert keyfile == str(tmp_path / "authkey") and len((tmp_path / "authkey").read_bytes()) == 256
    assert _corosync_conf.with_stand_in_key(GOOD, "f", str(tmp_path)) == GOOD  # no crypto: as it is


QDEVICE = {"quorum.two_node": None, "quorum.expected_votes": 3, "quorum.device.model": "net",
           "quorum.device.votes": 1, "quorum.device.net.host": "10.213.7.13", "quorum.device.net.algorithm": "ffsplit"}


def test_a_quorum_device_is_added_and_removed_whole_by_a_reload():
    text = ("totem {\n    version: 2\n}\n\nquorum {\n    provider: corosync_votequorum\n    expected_votes: 2\n"
            "    two_node: 1\n}\n")
    root = cc.parse(text)
    editor = cc.Editor(root)
    for key, value in QDEVICE.items():
        editor.set(key, value)
    added = cc.render(root)
    assert "two_node" not in added
    assert "    device {\n        model: net\n        votes: 1\n        net {\n            host: 10.213.7.13\n" in added
    assert cc.reload_or_restart(editor.changed) == (True, False)
    root = cc.parse(added)
    editor = cc.Editor(root)
    for key, value in {"quorum.device": None, "quorum.two_node": 1, "quorum.expected_votes": 2}.items():
        editor.set(key, value)
    removed = cc.render(root)
    assert "device" not in removed and "net {" not in removed and "two_node: 1" in removed
    assert cc.reload_or_restart(editor.changed) == (True, False)
    root = cc.parse(removed)
    editor = cc.Editor(root)
    editor.set("quorum.device", None)  # no device: no change
    assert not editor.changed and cc.render(root) == removed


def test_removing_the_last_key_of_a_section_removes_the_section():
    root = cc.parse("quorum {\n    provider: corosync_votequorum\n    device {\n        net {\n            host: q\n"
                    "        }\n    }\n}\n")
    editor = cc.Editor(root)
    editor.set("quorum.device.net.host", None)
    assert cc.render(root) == "quorum {\n    provider: corosync_votequorum\n}\n"


# ---- what a reload applies, and what cannot roll (measured on the lab: see the table in _corosync)

@pytest.mark.parametrize("keys,expected", [
    (["totem.crypto_cipher", "totem.crypto_hash"], (False, True)),  # and they cannot roll: test_roll_problems
    (["totem.interface.1.knet_link_priority", "totem.interface.1.knet_ping_interval"], (True, False)),
    (["totem.interface.1.mcastport"], (False, True)),
    (["totem.link_mode"], (False, True)),
    (["totem.cluster_name"], (False, True)),
])
def test_reload_or_restart_of_links_and_crypto(keys, expected):
    assert cc.reload_or_restart(keys) == expected


TWO_LINKS = ("totem {\n\ttransport: knet\n}\nnodelist {\n\tnode {\n\t\tname: a\n\t\tring0_addr: 10.0.0.1\n"
             "\t\tring1_addr: 10.1.0.1\n\t}\n\tnode {\n\t\tname: b\n\t\tring0_addr: 10.0.0.2\n\t\tring1_addr: 10.1.0.2\n"
             "\t}\n}\n")


def data_after(text, settings):
    new, _changed = plan(text, settings, None, "f")
    return cc.to_data(cc.parse(text, "f")), cc.to_data(cc.parse(new, "f"))


def test_links_spell_out_their_ports():
    assert cc.links(cc.to_data(cc.parse(TWO_LINKS, "f"))) == {
        "0": {"mcastport": "5405", "knet_transport": "udp"}, "1": {"mcastport": "5406", "knet_transport": "udp"}}


@pytest.mark.parametrize("settings,problem", [
    ({"totem.interface.1.mcastport": 5410}, None),  # link 0 keeps the nodes talking during the roll
    ({"totem.link_mode": "active"}, None),
    ({"totem.interface.0.mcastport": 5410, "totem.interface.1.mcastport": 5411},
     "no link keeps its port and transport (link 0: mcastport 5405 to 5410, link 1: mcastport 5406 to 5411)"),
    ({"totem.transport": "udpu"}, "totem.transport changes from knet to udpu"),
    ({"totem.crypto_cipher": "aes256", "totem.crypto_hash": "sha256"},
     ["totem.crypto_cipher changes from none to aes256", "totem.crypto_hash changes from none to sha256"]),
    ({"totem.crypto_model": "openssl"}, "totem.crypto_model changes from nss to openssl"),
])
def test_roll_problems(settings, problem):
    expected = problem if isinstance(problem, list) else [problem] if problem else []
    assert cc.roll_problems(*data_after(TWO_LINKS, settings)) == expected
