# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which values are secrets, and a module that never shows one.

One rule says what is secret everywhere (declared items, values read back from the CIB, exports):
the credential parameters of the fence and resource agents Debian 12 and 13 ship, by exact name, and
a narrow name pattern for agents we have not seen. Metadata adds names an agent itself marks
``content type="password"``. A parameter's description is never a reason: "without password" in the
help of ``use_sudo`` does not make ``1`` a secret.

Masking is structural (the value of a secret-named key, wherever it stands in the module's arguments),
so a short password is masked too. Ansible's own masking (``no_log_values``) replaces every equal
string in the whole result: only values long and uncommon enough to be a secret are registered there.
"""

from __future__ import annotations

import functools
import re
import typing as t

from ansible.module_utils.basic import AnsibleModule

MASK = "********"

# The credential parameters of the agents, read from their metadata and sources: fence-agents 4.12 (Debian 12)
# and 4.16 (Debian 13; lib/fencing.py and agents/*), resource-agents 4.12 and 4.16, pacemaker's own agents.
# fence-agents marks none of them as a password type, so metadata alone finds none.
FENCE_SECRETS = frozenset((
    "password", "passwd", "password_script", "passwd_script",  # every agent (lib/fencing.py); *_script prints one
    "community",  # SNMP agents (fence_apc_snmp, fence_ifmib, fence_eaton_snmp, fence_ibmblade, ...)
    "snmp_priv_passwd", "snmp_priv_passwd_script",  # SNMPv3 privacy pass phrase
    "hexadecimal_kg",  # IPMI Kg key (fence_ipmilan and its aliases fence_idrac, fence_ilo3, fence_imm, ...)
    "secret_key", "access_key",  # fence_aws, fence_aws_vpc_net, fence_aliyun
    "apikey", "api_token", "token",  # fence_ibm_vpc, fence_ecloud, fence_hetzner_cloud, fence_ibm_powervs
))
RESOURCE_SECRETS = frozenset((
    "passwd",  # ocf:pacemaker:Dummy's example
    "test_passwd", "replication_passwd",  # mysql, mariadb, mysql-proxy
    "check_passwd",  # galera
    "admin_password",  # mysql-proxy, rabbitmq-server-ha
    "incoming_password",  # iSCSITarget
    "monpassword",  # oracle
    "monitor_password",  # pgsql
    "test_pass",  # proftpd
    "db_passwd",  # sybaseASE
    "password",  # slapd, openstack-*
))
SECRET_PARAMS = FENCE_SECRETS | RESOURCE_SECRETS
# Agents not listed above: a name that says password, pass phrase, secret key, API key or token.
SECRET_NAME_RE = re.compile(r"(?i)(passw(or)?d|passphrase|(^|_)pass$|secret|(^|_)api_?key$|(^|_)(api_)?token$|"
                            r"(^|_)private_key$|credential)")
# Ansible masks a registered value wherever it appears in the result: never register one that is also an
# everyday word or number (a "1" would turn id="d1" into id="d********").
MIN_REGISTERED = 6
# A URL's own credentials (an alert recipient https://user:pass@host/hook): the password part is a secret wherever
# the URL stands, whatever the key holding it is called.
URL_CREDENTIALS_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/?#@:\s]*:)([^/?#@\s]+)(@)")
COMMON = frozenset(("true", "false", "yes", "no", "on", "off", "none", "null", "password", "default", "admin",
                    "root", "changeme"))


@functools.lru_cache(maxsize=4096)
def _secret_name(text: str) -> bool:
    """Whether the name is a known credential parameter or reads like one (a module asks about the same few names
    once per item: remembered)."""
    return text in SECRET_PARAMS or bool(SECRET_NAME_RE.search(text))


def is_secret(name: t.Any, known: t.Collection[str] = ()) -> bool:
    """Whether a parameter of this name holds a secret (``known``: names an agent's metadata marks so)."""
    text = str(name)
    return text in known or _secret_name(text)


def url_password(value: t.Any) -> str | None:
    """The password in a URL's user information (scheme://user:password@host...), or None."""
    match = URL_CREDENTIALS_RE.match(value) if isinstance(value, str) else None
    return match.group(2) if match else None


def mask_url(value: t.Any) -> t.Any:
    """The URL with its password masked (anything else as it is)."""
    return URL_CREDENTIALS_RE.sub(lambda m: m.group(1) + MASK + m.group(3), value) if url_password(value) else value


def registrable(value: t.Any) -> bool:
    """Whether masking every occurrence of this value in a result is safe (it cannot be a common word)."""
    if value is None or isinstance(value, bool):
        return False
    text = str(value)
    return len(text) >= MIN_REGISTERED and text.lower() not in COMMON and not text.isdigit()


def mask_args(value: t.Any, secret: t.Callable[[t.Any], bool] = is_secret, unset: bool = True) -> t.Any:
    """A copy of module arguments with the value of every secret-named key masked, at any depth (``unset=False``:
    without the keys whose value is None, the options a task left unset)."""
    if isinstance(value, dict):
        return {k: (MASK if secret(k) and not isinstance(v, (dict, list)) and v not in (None, "")
                    else mask_args(v, secret, unset)) for k, v in value.items() if unset or v is not None}
    if isinstance(value, list):
        return [mask_args(v, secret, unset) for v in value]
    return mask_url(value)


def secret_values(value: t.Any, secret: t.Callable[[t.Any], bool] = is_secret) -> set[str]:
    """The values of every secret-named key in module arguments, at any depth, as strings."""
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                found |= secret_values(v, secret)
            elif secret(k) and v not in (None, ""):
                found.add(str(v))
            elif url_password(v):
                found.add(url_password(v))
    elif isinstance(value, list):
        for v in value:
            found |= secret_values(v, secret)
    elif url_password(value):
        found.add(url_password(value))
    return found


class SecretAwareModule(AnsibleModule):
    """An AnsibleModule that shows no secret of its arguments anywhere.

    The invocation is not written to the node's journal (AnsibleModule logs it before any module code
    can say which values are secrets), the invocation returned at ``-vvv`` is masked structurally
    (and holds only the options that are set), also when the argument validation itself fails, and
    the secret values long enough to be unambiguous are registered before validation, so an error
    quoting one is masked too.
    """

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        kwargs["no_log"] = True
        super().__init__(*args, **kwargs)

    def _load_params(self) -> None:
        super()._load_params()
        self.register_secrets(secret_values(self.params))

    def register_secrets(self, values: t.Iterable[t.Any]) -> None:
        self.no_log_values.update(str(v) for v in values if registrable(v))

    def _masked_invocation(self, kwargs: dict[str, t.Any]) -> dict[str, t.Any]:
        # The options a task left unset are left out: 500 declared primitives would carry seven None suboptions
        # each, about half of a result that the node serializes and the controller passes between its processes.
        kwargs["invocation"] = {"module_args": mask_args(self.params, unset=False)}
        return kwargs

    def exit_json(self, **kwargs: t.Any) -> t.NoReturn:
        super().exit_json(**self._masked_invocation(kwargs))

    def fail_json(self, msg: str, **kwargs: t.Any) -> t.NoReturn:
        super().fail_json(msg, **self._masked_invocation(kwargs))
