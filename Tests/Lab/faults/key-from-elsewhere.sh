# The key's line has from="10.9.9.9": sshd refuses it for the client's real address.
# expect: authorized-keys
inject() {
    { printf 'from="10.9.9.9" '; cat "$DIR/state/authorized.pub"; } >"$RUN/from.pub"
    write_authorized_keys "$RUN/from.pub"
    rm -f "$RUN/from.pub"
}
