#!/usr/bin/env bash
# Adds a home to a deployed Wind Down on AWS IoT Core: an IoT thing named by the home id, an EC
# certificate whose private key is made here and never leaves this machine, the certificate attached to
# the thing and to the stack's one home policy (written with the thing-name policy variable, so no new
# policy is needed). Then it prints the bridge's settings and writes them to <out>/bridge.env.
#
#   scripts/add-home.sh [--home-id ID] [--policy NAME] [--out DIR] [--region REGION] [--profile PROFILE]
#   scripts/add-home.sh --skill [--out DIR] [--region REGION] [--profile PROFILE]
#
#   --home-id  the home's id (letters, digits, "_", "-"; at most 64; not a name the topics use, such as
#              "pairing"). Default: 128 random bits, URL-safe.
#   --policy   the home policy's name. Default: the one policy whose name contains "HomeIotPolicy"
#              (the stack's output HomeIotPolicyName).
#   --out      where the key, certificate and bridge.env go. Default: ./winddown-home-<id> (or
#              ./winddown-skill with --skill). Made readable by you only.
#   --skill    make the skill's own certificate instead: prints SkillCertificateArn, SkillCertificatePem
#              and SkillPrivateKeyPem for ask-resources.json (cfn.parameters); `ask deploy` then attaches
#              the skill's policy to it.
#
# Needs the AWS CLI v2 (configured for the account and region of the deployment) and openssl.
set -euo pipefail

home_id=""
policy=""
out=""
skill=0
aws_args=()

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --home-id) home_id="${2:?--home-id needs a value}"; shift 2 ;;
    --policy) policy="${2:?--policy needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    --region) aws_args+=(--region "${2:?--region needs a value}"); shift 2 ;;
    --profile) aws_args+=(--profile "${2:?--profile needs a value}"); shift 2 ;;
    --skill) skill=1; shift ;;
    -h | --help) usage 0 ;;
    *) echo "add-home: unknown argument: $1" >&2; usage 2 ;;
  esac
done

for tool in aws openssl; do
  command -v "$tool" >/dev/null || { echo "add-home: needs $tool on the PATH" >&2; exit 1; }
done

# (The odd expansion keeps an empty array working under set -u in the bash 3.2 macOS ships.)
awscli() { aws ${aws_args[@]+"${aws_args[@]}"} "$@"; }

# A private key that never leaves this directory, and a certificate for it from AWS IoT Core.
# Sets cert_arn; writes key.pem and cert.pem into "$out".
make_certificate() {
  local common_name="$1"
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/key.pem"
  chmod 600 "$out/key.pem"
  openssl req -new -key "$out/key.pem" -subj "/CN=$common_name" -out "$out/request.csr"
  cert_arn="$(awscli iot create-certificate-from-csr --set-as-active \
    --certificate-signing-request "file://$out/request.csr" --query certificateArn --output text)"
  awscli iot describe-certificate --certificate-id "${cert_arn##*/}" \
    --query certificateDescription.certificatePem --output text >"$out/cert.pem"
  rm -f "$out/request.csr"
}

# PEM text on one line, line breaks written as \n, as WINDDOWN_MQTT_CERT/KEY accept it.
one_line() { awk 'BEGIN { ORS = "\\n" } { print }' "$1"; }

umask 077
if [ "$skill" -eq 0 ]; then
  if [ -z "$home_id" ]; then
    home_id="$(openssl rand -base64 16 | tr '+/' '-_' | tr -d '=\n')"
  fi
  if ! [[ "$home_id" =~ ^[A-Za-z0-9_-]{1,64}$ ]]; then
    echo "add-home: --home-id must be 1-64 letters, digits, \"_\" or \"-\", got \"$home_id\"" >&2
    exit 2
  fi
  # The names the topic scheme uses (src/protocol/topics.ts, RESERVED_HOME_IDS): a thing named "pairing"
  # would own every pairing offer. The home policy denies them too.
  case "$(printf '%s' "$home_id" | tr '[:upper:]' '[:lower:]')" in
    pairing | cmd | paired | availability | state | ha | skill | winddown)
      echo "add-home: \"$home_id\" is a name the topics use (pairing, cmd, paired, availability, state, ha, skill, winddown): choose another --home-id" >&2
      exit 2
      ;;
  esac
fi

endpoint="$(awscli iot describe-endpoint --endpoint-type iot:Data-ATS --query endpointAddress --output text)"

if [ "$skill" -eq 1 ]; then
  out="${out:-./winddown-skill}"
  mkdir -p "$out"
  make_certificate "winddown-skill"
  echo "The skill's certificate is made. In ask-resources.json, under cfn.parameters (keep that file private now):"
  echo "  \"IotEndpoint\": \"$endpoint\","
  echo "  \"SkillCertificateArn\": \"$cert_arn\","
  echo "  \"SkillCertificatePem\": \"$(one_line "$out/cert.pem")\","
  echo "  \"SkillPrivateKeyPem\": \"$(one_line "$out/key.pem")\""
  echo "then: npm run build && ask deploy"
  exit 0
fi

if [ -z "$policy" ]; then
  policy="$(awscli iot list-policies --query "policies[?contains(policyName, 'HomeIotPolicy')].policyName" --output text)"
  case "$policy" in
    "" | None) echo "add-home: no policy named *HomeIotPolicy*: run ask deploy first, or give --policy" >&2; exit 1 ;;
    *[[:space:]]*) echo "add-home: several home policies ($policy): choose one with --policy" >&2; exit 1 ;;
  esac
fi

out="${out:-./winddown-home-$home_id}"
mkdir -p "$out"

awscli iot create-thing --thing-name "$home_id" >/dev/null
make_certificate "$home_id"
awscli iot attach-thing-principal --thing-name "$home_id" --principal "$cert_arn"
awscli iot attach-policy --policy-name "$policy" --target "$cert_arn"

out_abs="$(cd "$out" && pwd)"
cat >"$out/bridge.env" <<EOF
WINDDOWN_MQTT_URL=mqtts://$endpoint:8883
WINDDOWN_MQTT_CERT=$out_abs/cert.pem
WINDDOWN_MQTT_KEY=$out_abs/key.pem
WINDDOWN_MQTT_CLIENT_ID=$home_id
WINDDOWN_HOME_ID=$home_id
EOF

echo "Home $home_id added (thing $home_id, certificate $cert_arn, policy $policy)."
echo "The bridge's settings, also in $out/bridge.env (the client id must stay equal to the thing name):"
cat "$out/bridge.env"
