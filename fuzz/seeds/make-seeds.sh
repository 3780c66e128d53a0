#!/usr/bin/env bash
# Writes the seed inputs of every fuzz target into CORPUS_DIR/TARGET/seed-NAME: the
# project's fixtures, and the bad inputs that crashed other authenticators
# (shared/FORMATS.md). Idempotent: the same seeds overwrite themselves, and what the
# fuzzer added to the corpus stays.
#
#   fuzz/seeds/make-seeds.sh [CORPUS_DIR]      (default: fuzz/corpus)
#
# A new target gets its seeds by a `seed TARGET… NAME` line below, input on stdin.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/fuzz/corpus}"
fixtures="$root/tests/fixtures"

# seed TARGET… NAME: stdin becomes the seed NAME of each TARGET.
seed() {
    local args=("$@") name="${*: -1}" data
    data="$(mktemp)"
    cat >"$data"
    for target in "${args[@]:0:${#args[@]}-1}"; do
        mkdir -p "$out/$target"
        cp "$data" "$out/$target/seed-$name"
    done
    rm -f "$data"
}

# Binary seeds are built as hex text, then written out as bytes.
# Only bash and coreutils: the machines that run this may lack xxd.
hex_out() {
    local hex escaped="" i
    hex="$(cat)"
    for ((i = 0; i < ${#hex}; i += 2)); do
        escaped+="\\x${hex:i:2}"
    done
    printf '%b' "$escaped"
}
hex_of() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# A protobuf varint (values below 2^63).
varint() {
    local v=$1 hex=""
    while ((v > 127)); do
        hex+=$(printf '%02x' $(((v & 127) | 128)))
        v=$((v >> 7))
    done
    printf '%s%02x' "$hex" "$v"
}
# A varint field: number, value.
int_field() { printf '%s%s' "$(varint $(($1 << 3)))" "$(varint "$2")"; }
# A length-delimited field: number, content as hex.
bytes_field() { printf '%s%s%s' "$(varint $(($1 << 3 | 2)))" "$(varint $((${#2} / 2)))" "$2"; }
# An OtpParameters message: secret (text), name, issuer, algorithm, digits, type, counter.
account() {
    local hex
    hex="$(bytes_field 1 "$(hex_of "$1")")$(bytes_field 2 "$(hex_of "$2")")"
    hex+="$(bytes_field 3 "$(hex_of "$3")")$(int_field 4 "$4")$(int_field 5 "$5")"
    hex+="$(int_field 6 "$6")$(int_field 7 "$7")"
    bytes_field 1 "$hex"
}
# The closing fields of a MigrationPayload: version, batch size, index, id.
closing() { printf '%s%s%s%s' "$(int_field 2 1)" "$(int_field 3 "$1")" "$(int_field 4 "$2")" "$(int_field 5 "$3")"; }
# int32 -1 as protobuf writes it: sign-extended to ten bytes.
MINUS_ONE="ffffffffffffffffff01"
RFC20="12345678901234567890"
RFC32="12345678901234567890123456789012"

# --- otpauth URIs: for the URI reader, the text reader and the list reader ------------
KEY="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
uri_seeds=(
    "full otpauth://totp/TRF4:joao%40adv.br?secret=$KEY&issuer=TRF4&algorithm=SHA1&digits=8&period=30"
    "empty-label otpauth://totp/?secret=$KEY"
    "no-path otpauth://totp?secret=$KEY"
    "hotp otpauth://hotp/hotp-test?secret=$KEY&counter=7"
    "pct3a otpauth://totp/TRF4%3Ajoao?secret=$KEY&issuer=TRF4"
    "pct3a-lower otpauth://totp/eproc%20TRF4%3a12345678900?secret=$KEY"
    "plus-path otpauth://totp/a+b:c+d?secret=$KEY"
    "plus-query otpauth://totp/x?secret=$KEY&issuer=Caf%C3%A9+Co"
    "pct20 otpauth://totp/Caf%C3%A9%20Co:jo%C3%A3o?secret=$KEY&issuer=Caf%C3%A9%20Co"
    "pad-eq otpauth://totp/x?secret=$KEY==="
    "pad-pct3d otpauth://totp/x?secret=$KEY%3D%3D%3D"
    "pad-middle otpauth://totp/x?secret=GEZD=GNBV"
    "pad-only otpauth://totp/x?secret=%3D%3D"
    "lowercase otpauth://totp/x?secret=gezdgnbvgy3tqojqgezdgnbvgy3tqojq"
    "spaced otpauth://totp/x?secret=GEZD%20GNBV%20GY3T%20QOJQ%20GEZD%20GNBV%20GY3T%20QOJQ"
    "spaced-plus otpauth://totp/x?secret=gezd+gnbv+gy3t+qojq+gezd+gnbv+gy3t+qojq"
    "hyphenated otpauth://totp/x?secret=GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ"
    "80-bit otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"
    "trailing-bits otpauth://totp/x?secret=${KEY}A"
    "one-symbol otpauth://totp/x?secret=A"
    "empty-secret otpauth://totp/x?secret="
    "no-secret otpauth://totp/x?issuer=TRF4"
    "bad-char otpauth://totp/x?secret=GEZD1GNBV"
    "digits-neg otpauth://totp/x?secret=$KEY&digits=-6"
    "digits-0 otpauth://totp/x?secret=$KEY&digits=0"
    "digits-10 otpauth://totp/x?secret=$KEY&digits=10"
    "digits-100 otpauth://totp/x?secret=$KEY&digits=100"
    "digits-huge otpauth://totp/x?secret=$KEY&digits=18446744073709551622"
    "period-0 otpauth://totp/x?secret=$KEY&period=0"
    "period-neg otpauth://totp/x?secret=$KEY&period=-30"
    "period-max otpauth://totp/x?secret=$KEY&period=18446744073709551615"
    "period-3601 otpauth://totp/x?secret=$KEY&period=3601"
    "period-frac otpauth://totp/x?secret=$KEY&period=30.5"
    "counter-neg otpauth://hotp/x?secret=$KEY&counter=-1"
    "counter-max otpauth://hotp/x?secret=$KEY&counter=9223372036854775806"
    "counter-i64 otpauth://hotp/x?secret=$KEY&counter=9223372036854775807"
    "counter-huge otpauth://hotp/x?secret=$KEY&counter=99999999999999999999999"
    "counter-missing otpauth://hotp/x?secret=$KEY"
    "sha256 otpauth://totp/x?secret=$KEY&algorithm=sha-256&digits=7"
    "md5 otpauth://totp/x?secret=$KEY&algorithm=MD5"
    "steam otpauth://steam/Steam:gamer?secret=$KEY"
    "mismatch otpauth://totp/Microsoft:jo?secret=$KEY&issuer=Outlook"
    "issuer-colon otpauth://totp/a%3Ab:c?secret=$KEY&issuer=a%3Ab"
    "issuer-only otpauth://totp/TJRS?secret=$KEY&issuer=TJRS"
    "duplicate otpauth://totp/x?secret=$KEY&secret=$KEY"
    "unknown-params otpauth://totp/x?secret=$KEY&image=https%3A%2F%2Fx&lock=true&foo"
    "fragment otpauth://totp/x?secret=$KEY#frag"
    "upper OTPAUTH://TOTP/A?SECRET=$KEY&ISSUER=B"
    "bad-pct otpauth://totp/%FF%?secret=$KEY"
    "type-missing otpauth:///x?secret=$KEY"
    "scheme-only otpauth:"
)
for entry in "${uri_seeds[@]}"; do
    printf '%s' "${entry#* }" | seed otpauth import_text uri_list "${entry%% *}"
done
{ printf '\xef\xbb\xbf'; printf 'otpauth://totp/x?secret=%s' "$KEY"; } |
    seed otpauth import_text uri_list bom
printf 'otpauth://totp/x?secret=%s\nrandom\n\x00garbage\r\n%%%%' "$KEY" |
    seed otpauth import_text uri_list multiline-garbage
printf 'otpauth://totp/Jo\xe3o:\xff?secret=%s&issuer=\xc3\x28' "$KEY" |
    seed otpauth import_text uri_list non-utf8
printf 'otpauth://totp/x?secret=%s' "$(printf 'A%.0s' {1..500})" |
    seed otpauth import_text uri_list huge-key

# --- typed keys and other text, for the text reader -----------------------------------
typed_seeds=(
    "typed $KEY"
    "typed-lower gezdgnbvgy3tqojqgezdgnbvgy3tqojq"
    "typed-spaced GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
    "typed-hyphens gezd-gnbv-gy3t-qojq-gezd-gnbv-gy3t-qojq"
    "typed-80-bit JBSWY3DPEHPK3PXP"
    "typed-short JBSWY3DP"
    "typed-stray GEZDGNBVGY3TQOJQ1EZDGNBVGY3TQOJQ"
    "typed-prefix Chave: $KEY"
    "https https://eproc.trf4.jus.br/"
    "mailto mailto:a@b"
    "prose Olá, mundo! Que dia lindo."
)
for entry in "${typed_seeds[@]}"; do
    printf '%s' "${entry#* }" | seed import_text "${entry%% *}"
done
printf '  GEZDGNBVGY3TQOJQ\nGEZDGNBVGY3TQOJQ\n' | seed import_text typed-two-lines
printf '\xef\xbb\xbf%s' "$KEY" | seed import_text typed-bom
printf '\xff\xfe%s' "$KEY" | seed import_text typed-non-utf8

# --- Google transfers: payload bytes and URIs -----------------------------------------
for name in google-migration-1-of-2 google-migration-2-of-2; do
    uri="$(cat "$fixtures/$name.txt")"
    printf '%s' "$uri" | seed migration import_text uri_list "$name"
    data="${uri#*data=}"
    data="${data//%2B/+}"
    data="${data//%2F//}"
    data="${data//%3D/=}"
    printf '%s' "$data" | base64 -d | seed migration "$name-payload"
    # Cut short at a few lengths: truncated protobuf.
    payload_hex="$(printf '%s' "$data" | base64 -d | od -An -v -tx1 | tr -d ' \n')"
    for cut in 1 2 7 40 66 100; do
        printf '%s' "${payload_hex:0:$((cut * 2))}" | hex_out | seed migration "$name-cut-$cut"
    done
    # As copies in the wild carry it: URL-safe alphabet, no padding, `+` as a space.
    safe="${data//+/-}"
    safe="${safe//\//_}"
    printf 'otpauth-migration://offline?data=%s' "${safe%%=*}" | seed migration "$name-urlsafe"
    printf 'otpauth-migration://offline?data=%s' "${data//+/ }" | seed migration "$name-spaces"
    printf '%s\nnot part of it\n' "$uri" | seed import_text "$name-trailing"
done
cat "$fixtures/google-migration-1-of-2.txt" "$fixtures/google-migration-2-of-2.txt" |
    seed uri_list import_text google-both
printf 'otpauth-migration://offline?data=%%21' | seed migration import_text migration-bad-base64
printf 'otpauth-migration://offline' | seed migration import_text migration-no-data
printf 'otpauth-migration://offline?data=CgA%%3D&data=CgA%%3D' | seed migration migration-two-data

payloads=(
    "one-totp $(account "$RFC20" "eproc TRF4:12345678900" "eproc TRF4" 1 1 2 0)$(closing 1 0 7)"
    "no-batch $(account "$RFC20" "x" "" 0 0 0 0)"
    "all-kinds $(account "$RFC32" "TJRS:joao" "TJRS" 2 2 2 0)$(account "$RFC20" "hotp" "" 1 1 1 9223372036854775806)$(account "$RFC20" "md5" "" 4 1 2 0)$(closing 3 1 42)"
    "enums-unknown $(account "$RFC20" "a" "b" 5 3 3 0)$(closing 1 0 1)"
    "empty-secret $(account "" "a" "" 1 1 2 0)"
    "no-accounts $(closing 1 0 1)"
    "empty ''"
    "index-past-size $(account "$RFC20" "a" "" 1 1 2 0)$(closing 2 2 1)"
    "huge-batch $(account "$RFC20" "a" "" 1 1 2 0)$(closing 2147483647 5 1)"
    "negative-batch $(account "$RFC20" "a" "" 1 1 2 0)18${MINUS_ONE}20${MINUS_ONE}"
    "negative-counter $(bytes_field 1 "$(bytes_field 1 "$(hex_of "$RFC20")")300138${MINUS_ONE}")"
    "huge-length 0affffffff0f$(hex_of "$RFC20")"
    "huge-inner-length 0a0c0affffffff0f$(hex_of "$RFC20")"
    "overlong-varint 0a80808080808080808080010a00"
    "unknown-fields $(account "$RFC20" "a" "" 1 1 2 0)4005$(bytes_field 9 "$(hex_of "new")")7d01020304"
    "bad-utf8-name $(bytes_field 1 "$(bytes_field 1 "$(hex_of "$RFC20")")$(bytes_field 2 "ff6ac3")$(bytes_field 3 "c328")")"
)
for entry in "${payloads[@]}"; do
    hex="${entry#* }"
    [[ "$hex" == "''" ]] && hex=""
    printf '%s' "$hex" | hex_out | seed migration "payload-${entry%% *}"
done

# --- Aegis JSON -----------------------------------------------------------------------
for name in aegis-plain aegis-encrypted; do
    seed aegis import_text "$name" <"$fixtures/$name.json"
done
{ printf '\xef\xbb\xbf'; cat "$fixtures/aegis-plain.json"; } | seed aegis import_text aegis-bom
aegis_entry() {
    printf '{"version":1,"header":{"slots":null,"params":null},"db":{"version":3,"entries":[%s]}}' "$1"
}
info() { printf '{"type":"%s","uuid":"u","name":"n","issuer":"i","info":%s}' "$1" "$2"; }
aegis_seeds=(
    "digits-neg $(aegis_entry "$(info totp '{"secret":"'$KEY'","algo":"SHA1","digits":-6,"period":30}')")"
    "digits-100 $(aegis_entry "$(info totp '{"secret":"'$KEY'","algo":"SHA1","digits":100,"period":30}')")"
    "digits-float $(aegis_entry "$(info totp '{"secret":"'$KEY'","algo":"SHA1","digits":6.0,"period":30}')")"
    "period-0 $(aegis_entry "$(info totp '{"secret":"'$KEY'","algo":"SHA1","digits":6,"period":0}')")"
    "period-huge $(aegis_entry "$(info totp '{"secret":"'$KEY'","algo":"SHA1","digits":6,"period":18446744073709551615}')")"
    "period-exp $(aegis_entry "$(info totp '{"secret":"'$KEY'","algo":"SHA1","digits":6,"period":1e400}')")"
    "counter-neg $(aegis_entry "$(info hotp '{"secret":"'$KEY'","algo":"SHA1","digits":6,"counter":-1}')")"
    "counter-i64 $(aegis_entry "$(info hotp '{"secret":"'$KEY'","algo":"SHA1","digits":6,"counter":9223372036854775807}')")"
    "counter-missing $(aegis_entry "$(info hotp '{"secret":"'$KEY'","algo":"SHA1","digits":6}')")"
    "steam $(aegis_entry "$(info steam '{"secret":"'$KEY'","algo":"SHA1","digits":5,"period":30}')")"
    "padded-key $(aegis_entry "$(info totp '{"secret":"jbsw y3dp-ehpk 3pxp==","algo":"sha-256","digits":8}')")"
    "secret-number $(aegis_entry "$(info totp '{"secret":12,"algo":"SHA1","digits":6}')")"
    "no-info $(aegis_entry '{"type":"totp","name":"n"}')"
    "entries-null $(printf '{"version":1,"header":{"slots":null,"params":null},"db":{"version":3,"entries":null}}')"
    "db-version-9 $(printf '{"version":1,"header":{"slots":null,"params":null},"db":{"version":9,"entries":[]}}')"
    "file-version-2 $(printf '{"version":2,"header":{"slots":null,"params":null},"db":{"version":3,"entries":[]}}')"
    "db-string $(printf '{"version":1,"header":{"slots":[],"params":{}},"db":"AAAA"}')"
    "nested $(printf '%.0s[' {1..300})"
    "truncated {\"version\":1,\"header\":{\"slots\":null,"
)
for entry in "${aegis_seeds[@]}"; do
    printf '%s' "${entry#* }" | seed aegis "${entry%% *}"
done

# --- URI lists ------------------------------------------------------------------------
seed uri_list import_text uris <"$fixtures/uris.txt"
{ printf '\xef\xbb\xbf'; cat "$fixtures/uris.txt"; } | seed uri_list import_text uris-bom
tr '\n' '\r' <"$fixtures/uris.txt" | seed uri_list uris-cr
sed 's/$/\r/' "$fixtures/uris.txt" | seed uri_list import_text uris-crlf
{
    cat "$fixtures/google-migration-1-of-2.txt"
    printf '\n'
    cat "$fixtures/google-migration-1-of-2.txt"
    printf '\n# a comment\n\notpauth://totp/x?secret=%s\n' "$KEY"
} | seed uri_list import_text transfer-twice

# --- stored fields ----------------------------------------------------------------------
# A key record (v1, TOTP, SHA1, 6 digits, 30 s, 20-byte key), a details record (label,
# no issuer, a login), KDF parameters (64 MiB, 3 passes, 1 lane), and their edges.
record="0101010600000000000000 1e0014$(hex_of "$RFC20")"
details="01 01 00000004 $(hex_of TRF4) 00 00000000 01 00000001 $(hex_of x)"
vault_seeds=(
    "key-record $record"
    "hotp-record 01020308 7ffffffffffffffe 0020$(hex_of "$RFC32")"
    "record-long-key 0101010600000000000000 1e0100$(printf '%0512d' 0)"
    "record-length-lies 0101010600000000000000 1effff$(hex_of "$RFC20")"
    "details $details"
    "details-huge-length 01 01 ffffffff $(hex_of TRF4)"
    "details-bad-utf8 01 01 00000002 ffc3 00 00000000 00 00000000"
    "kdf 00010000 00000003 00000001"
    "kdf-ceiling 00100000 00000014 00000008"
    "kdf-huge ffffffff ffffffff ffffffff"
    "blob 01$(printf '%064d' 0)$(hex_of "$RFC20")"
    "empty ''"
)
for entry in "${vault_seeds[@]}"; do
    hex="${entry#* }"
    [[ "$hex" == "''" ]] && hex=""
    printf '%s' "${hex// /}" | hex_out | seed vault_field "${entry%% *}"
done

# --- code generation ------------------------------------------------------------------
# The layout fuzz_targets/codes.rs reads through `arbitrary` 1.x: key length - 1 (one
# byte), the key, algorithm (0 SHA1, 1 SHA256, 2 SHA512), HOTP if odd, then digits,
# period, counter and time as little-endian 64-bit numbers.
le64() {
    local v=$1 hex="" i
    for i in {0..7}; do
        hex+=$(printf '%02x' $(((v >> (8 * i)) & 255)))
    done
    printf '%s' "$hex"
}
code_input() { # key(text) algorithm hotp digits period counter time
    printf '%02x%s%02x%02x%s%s%s%s' $((${#1} - 1)) "$(hex_of "$1")" "$2" "$3" \
        "$(le64 "$4")" "$(le64 "$5")" "$(le64 "$6")" "$(le64 "$7")"
}
RFC64="$RFC32$RFC32"
I64_MAX=9223372036854775807
codes_seeds=(
    "rfc6238-sha1 $(code_input "$RFC20" 0 0 8 30 0 59)"
    "rfc6238-sha256 $(code_input "$RFC32" 1 0 8 30 0 20000000000)"
    "rfc6238-sha512 $(code_input "$RFC64" 2 0 8 30 0 1234567890)"
    "rfc4226 $(code_input "$RFC20" 0 1 6 30 9 0)"
    "time-max $(code_input "$RFC20" 0 0 6 1 0 "$I64_MAX")"
    "time-negative $(code_input "$RFC20" 0 0 6 30 0 -1)"
    "period-max $(code_input "$RFC20" 0 0 7 3600 0 "$I64_MAX")"
    "period-huge $(code_input "$RFC20" 0 0 6 -1 0 59)"
    "digits-huge $(code_input "$RFC20" 0 0 -6 30 0 59)"
    "counter-max $(code_input "$RFC20" 2 1 8 30 9223372036854775806 0)"
    "counter-i64 $(code_input "$RFC20" 0 1 6 30 "$I64_MAX" 0)"
    "one-byte-key $(code_input "k" 1 0 6 30 0 1)"
    "long-key $(code_input "$(printf 'k%.0s' {1..256})" 2 0 8 30 0 1)"
)
for entry in "${codes_seeds[@]}"; do
    printf '%s' "${entry#* }" | hex_out | seed codes "${entry%% *}"
done

# Backups: the fixture file (its header checks), and a payload of one entry in clear:
# version 1, created 0, one entry (uuid, four times, one system `trf4`, a 20-byte TOTP
# key record, details with label "TRF4" and no issuer or login).
printf '\x00' | cat - "$fixtures/sample.a2fbackup" | seed backup fixture-file
printf '\x00A2FEBKUP\x01' | seed backup header-cut
payload="01""0000000000000000""00000001""$(printf '11%.0s' {1..16})"
payload+="0000000000000000""0000000000000000""8000000000000000""8000000000000000"
payload+="01""04""$(hex_of trf4)"
payload+="0022""01010106""000000000000001e""0014""$(printf '31%.0s' {1..20})"
payload+="00000014""0101""00000004""$(hex_of TRF4)""0000000000""0000000000"
printf '01%s' "$payload" | hex_out | seed backup payload-one-entry

# QR images: the eproc QR alone and the transfer screen; frames: a small bare frame.
for image in eproc-qr google-transfer no-qr; do
    seed qr_image "$image" <"$fixtures/$image.png"
done
printf '\x15\x15\x03\x00%0441d' 0 | seed qr_frame grey-21x21

echo "seeds written under $out"
