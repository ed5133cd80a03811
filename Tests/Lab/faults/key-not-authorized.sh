# authorized_keys holds a fresh, different key.
# expect: authorized-keys
# client: file
inject() {
    ssh-keygen -q -t ed25519 -N '' -C "runbook-lab-$NAME-other" -f "$RUN/other_key"
    write_authorized_keys "$RUN/other_key.pub"
    rm -f "$RUN/other_key" "$RUN/other_key.pub"
}
