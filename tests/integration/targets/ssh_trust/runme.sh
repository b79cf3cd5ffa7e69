#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# ssh_trust on three nodes: check, apply, check, apply (changed, changed, none, none); every
# ordered pair connects with BatchMode by name and address; an operator's key survives; the
# private key appears nowhere in -vvv output; bad input fails clearly and writes nothing.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
ensure_cluster
nodes=(alice bob carol)
for n in "${nodes[@]}"; do "${lab[@]}" exec "$n" sh -c 'userdel -r crmtester 2>/dev/null; useradd -m -s /bin/sh crmtester'; done

snapshot() { for n in "${nodes[@]}"; do "${lab[@]}" exec "$n" sh -c 'ls -la /home/crmtester/.ssh 2>&1 | sort; cat /home/crmtester/.ssh/* 2>/dev/null; true' ; done | sha256sum; }
before=$(snapshot)
[ "$(play "$work/check1.log" "$here/trust.yml" --check --diff)" -gt 0 ] || fail "check mode predicted nothing"
[ "$(snapshot)" = "$before" ] || fail "check mode wrote something"
[ "$(play "$work/apply1.log" "$here/trust.yml" -vvv)" -gt 0 ] || fail "first run changed nothing"

# An operator's key, added by hand, survives the next runs.
ssh-keygen -q -t ed25519 -N '' -C operator@desk -f "$work/operator"
"${lab[@]}" exec bob sh -c "cat >> /home/crmtester/.ssh/authorized_keys" < "$work/operator.pub"

[ "$(play "$work/check2.log" "$here/trust.yml" --check --diff)" -eq 0 ] || fail "check mode on a converged node predicts a change"
[ "$(play "$work/apply2.log" "$here/trust.yml" -vvv)" -eq 0 ] || fail "second run changed something"
"${lab[@]}" exec bob grep -qF "$(cut -d' ' -f2 "$work/operator.pub")" /home/crmtester/.ssh/authorized_keys || fail "operator key lost"

for a in "${nodes[@]}"; do
    for b in "${nodes[@]}"; do
        [ "$a" = "$b" ] && continue
        addr=$(awk -v n="$b" '$1 == n { sub("ansible_host=", "", $2); print $2 }' "$inv")
        for target in "$b" "$addr"; do
            got=$("${lab[@]}" exec "$a" su - crmtester -c "ssh -o BatchMode=yes $target hostname") || fail "$a -> $target"
            [ "$got" = "$b" ] || fail "$a -> $target answered $got"
        done
    done
done

# The private key never shows, in any line of -vvv output.
for n in "${nodes[@]}"; do
    "${lab[@]}" exec "$n" cat /home/crmtester/.ssh/id_ed25519 | grep -v -- '-----' > "$work/private-$n"
    while read -r line; do
        ! grep -qF "$line" "$work"/*.log || fail "a line of $n's private key appears in the output"
    done < "$work/private-$n"
done

# The guide's way: one shared key, installed from the controller; the second run changes nothing
for n in alice bob; do "${lab[@]}" exec "$n" sh -c 'userdel -r crmshared 2>/dev/null; useradd -m -s /bin/sh crmshared'; done
ssh-keygen -q -t ed25519 -N '' -C shared@cluster -f "$work/shared"
[ "$(play "$work/shared1.log" "$here/shared.yml" -e shared_key_file="$work/shared" -vvv)" -eq 2 ] || fail "shared key not installed"
[ "$(play "$work/shared2.log" "$here/shared.yml" -e shared_key_file="$work/shared")" -eq 0 ] || fail "shared key rerun changed"
bob_addr=$(awk '$1 == "bob" { sub("ansible_host=", "", $2); print $2 }' "$inv")
has "^bob$" "$("${lab[@]}" exec alice su - crmshared -c "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new \
    $bob_addr hostname")" || fail "crmshared cannot reach bob with the shared key"
grep -v -- '-----' "$work/shared" | while read -r line; do
    ! grep -qF "$line" "$work"/shared*.log || fail "the shared private key appears in the output"
done

# A node that leaves loses its access: what was written for carol goes, the operator's key stays.
"${lab[@]}" exec alice grep -q "hacluster.crm:carol$" /home/crmtester/.ssh/authorized_keys || fail "carol's key not tagged"
ansible -i "$inv" alice -m hacluster.crm.ssh_trust \
    -a '{"user": "crmtester", "authorized_keys": [], "known_hosts": [], "members": ["alice", "bob"]}' --diff \
    > "$work/revoke.log" 2>&1 || { cat "$work/revoke.log"; fail "revoking carol failed"; }
grep -q '^-ssh-ed25519 .* hacluster.crm:carol$' "$work/revoke.log" || fail "the diff does not show carol's key going"
grep -q '^-carol,.* hacluster.crm:carol$' "$work/revoke.log" || fail "the diff does not show carol's host key going"
! "${lab[@]}" exec alice grep -q "carol" /home/crmtester/.ssh/authorized_keys /home/crmtester/.ssh/known_hosts \
    || fail "carol's lines stayed on alice"
"${lab[@]}" exec alice grep -q "hacluster.crm:bob$" /home/crmtester/.ssh/authorized_keys || fail "bob's key went too"
alice_addr=$(awk '$1 == "alice" { sub("ansible_host=", "", $2); print $2 }' "$inv")
if "${lab[@]}" exec carol su - crmtester -c "ssh -o BatchMode=yes $alice_addr hostname" > /dev/null 2>&1; then
    fail "carol still logs in to alice"
fi
has "^alice$" "$("${lab[@]}" exec bob su - crmtester -c "ssh -o BatchMode=yes $alice_addr hostname")" || fail "bob lost access"

# A symbolic link under .ssh is refused, not followed as root; a bad shared key replaces nothing.
"${lab[@]}" exec alice sh -c 'userdel -r crmlink 2>/dev/null; useradd -m -s /bin/sh crmlink; ln -s /root/.ssh /home/crmlink/.ssh'
root_keys=$("${lab[@]}" exec alice sha256sum /root/.ssh/authorized_keys)
if ansible -i "$inv" alice -m hacluster.crm.ssh_trust -a '{"user": "crmlink", "authorized_keys": []}' > "$work/link.log" 2>&1; then
    fail "a symlinked .ssh was followed"
fi
grep -q "/home/crmlink/.ssh is a symbolic link: refusing to follow it" "$work/link.log" || { cat "$work/link.log"; fail "unclear link error"; }
[ "$("${lab[@]}" exec alice sha256sum /root/.ssh/authorized_keys)" = "$root_keys" ] || fail "root's authorized_keys changed"
shared_before=$("${lab[@]}" exec alice sha256sum /home/crmshared/.ssh/id_ed25519)
printf 'not-a-key-Zq7WgB1\n' > "$work/garbage"
cp "$work/shared.pub" "$work/garbage.pub"
if ansible-playbook -i "$inv" -l alice "$here/shared.yml" -e shared_key_file="$work/garbage" -vvv > "$work/garbage.log" 2>&1; then
    fail "a garbage private key was accepted"
fi
grep -q "not a usable OpenSSH private key" "$work/garbage.log" || { tail -20 "$work/garbage.log"; fail "unclear key error"; }
[ "$("${lab[@]}" exec alice sha256sum /home/crmshared/.ssh/id_ed25519)" = "$shared_before" ] || fail "a bad key replaced the key"
! grep -q "Zq7WgB1" "$work/garbage.log" || fail "the refused private key shows in the output"

# Bad input: a malformed key is refused by name, and nothing is written.
before=$(snapshot)
if ansible -i "$inv" alice -m hacluster.crm.ssh_trust -a '{"user": "crmtester", "authorized_keys": ["ssh-ed25519 !!notbase64"]}' > "$work/bad.log" 2>&1; then
    fail "a malformed key was accepted"
fi
grep -q "authorized_keys\[0\] has a malformed key body" "$work/bad.log" || { cat "$work/bad.log"; fail "unclear error"; }
if ansible -i "$inv" alice -m hacluster.crm.ssh_trust -a user=nosuchuser > "$work/bad2.log" 2>&1; then fail "missing user accepted"; fi
grep -q "no such user: nosuchuser" "$work/bad2.log" || fail "unclear error for a missing user"
[ "$(snapshot)" = "$before" ] || fail "a refused run wrote something"
echo "ssh_trust target: all checks passed"
