# The client's ~/.ssh/known_hosts holds another ed25519 key for the VM (a rebuilt VM, or someone in between).
# expect: client-known-hosts
inject() {
    rm -f "$RUN/other_key" "$RUN/other_key.pub"
    ssh-keygen -q -t ed25519 -N '' -C "runbook-lab-$NAME-other-host" -f "$RUN/other_key"
    printf '%s %s\n' "$(vm_addr)" "$(cut -d' ' -f1-2 "$RUN/other_key.pub")" >"$CLIENT_HOME/.ssh/known_hosts"
    rm -f "$RUN/other_key" "$RUN/other_key.pub"
}
