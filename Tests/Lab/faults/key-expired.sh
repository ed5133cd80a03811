# The key's line has expiry-time="20200101" (in the past): sshd ignores it.
# expect: authorized-keys
inject() {
    { printf 'expiry-time="20200101" '; cat "$DIR/state/authorized.pub"; } >"$RUN/expired.pub"
    write_authorized_keys "$RUN/expired.pub"
    rm -f "$RUN/expired.pub"
}
