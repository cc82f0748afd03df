"""Every error the backend can answer with, in one place.

:class:`KmsError` is an answer AWS KMS gives as an error; each function below returns the
one AWS would send in its situation. Messages marked
``RECORDED`` were recorded from real AWS and are reproduced to the letter. Messages
marked ``CHOSEN`` answer a point the specification lists as UNCONFIRMED: the code is the
one AWS models for the situation and the text is ours (usually the botocore description of
the error). docs/choices.md lists every CHOSEN answer; change them here and nowhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only for the annotation: the crypto package loads cryptography, which importing
    # kmsimport_mock must not.
    from ..crypto.allowed_wrapping import WrappingRefusal


class KmsError(Exception):
    """An error response as AWS KMS sends it: error code, message and HTTP status."""

    def __init__(self, code: str, message: str = "", status: int = 400) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.status = status


# --- key resolution -------------------------------------------------------------------


def key_not_found(arn: str) -> KmsError:
    # RECORDED (DescribeKey, RotateKeyOnDemand).
    return KmsError("NotFoundException", f"Key '{arn}' does not exist")


def invalid_key_id(key_id: str) -> KmsError:
    # RECORDED (DescribeKey): a bare id that is neither a UUID nor an mrk- id.
    return KmsError("NotFoundException", f"Invalid keyId '{key_id}'")


def arn_of_other_region(region: str) -> KmsError:
    # RECORDED (DescribeKey): a key ARN naming a Region other than the caller's.
    return KmsError("NotFoundException", f"Invalid arn {region}")


def malformed_arn(value: str) -> KmsError:
    # CHOSEN: an "arn:" string that is not a KMS key ARN.
    return KmsError("InvalidArnException", f"Invalid arn {value}")


def malformed_arn_not_found(value: str) -> KmsError:
    # CHOSEN: the cryptographic operations model no InvalidArnException; AWS answers an ARN
    # of another Region with NotFoundException "Invalid arn <region>" (RECORDED), so a
    # malformed ARN gets NotFoundException with the text of malformed_arn.
    return KmsError("NotFoundException", f"Invalid arn {value}")


def alias_not_found(alias_arn: str) -> KmsError:
    # CHOSEN: the text users quote from AWS for an unknown alias. Also the answer of the
    # operations that take no aliases (the import operations, EnableKey, TagResource, ...)
    # to an alias name or ARN: for them, no alias names a key.
    return KmsError("NotFoundException", f"Alias {alias_arn} is not found.")


# --- key state ------------------------------------------------------------------------


def origin_not_valid(arn: str, origin: str) -> KmsError:
    # RECORDED for GetParametersForImport; CHOSEN (same text) for the other import operations.
    # The key-state table (note [6]) gives the same text for EnableKeyRotation,
    # DisableKeyRotation and GetKeyRotationStatus on a key with imported material.
    return KmsError(
        "UnsupportedOperationException",
        f"{arn} origin is {origin} which is not valid for this operation.",
    )


def pending_import(arn: str) -> KmsError:
    # RECORDED.
    return KmsError("KMSInvalidStateException", f"{arn} is pending import.")


def pending_deletion(arn: str) -> KmsError:
    # Key-state table note [3]; exact text CHOSEN from that note.
    return KmsError("KMSInvalidStateException", f"{arn} is pending deletion.")


def pending_replica_deletion(arn: str) -> KmsError:
    # Key-state table note [3]; exact text CHOSEN from that note.
    return KmsError("KMSInvalidStateException", f"{arn} is pending replica deletion.")


def creating(arn: str) -> KmsError:
    # Key-state table note [14].
    return KmsError("KMSInvalidStateException", f"{arn} is creating.")


def updating(arn: str) -> KmsError:
    # Key-state table note [15].
    return KmsError("KMSInvalidStateException", f"{arn} is updating.")


def disabled(arn: str) -> KmsError:
    # RECORDED (RotateKeyOnDemand); key-state table note [1].
    return KmsError("DisabledException", f"{arn} is disabled.")


def unavailable(arn: str, state: str) -> KmsError:
    # CHOSEN: a key state the key-state table gives no text for (Unavailable, say).
    return KmsError("KMSInvalidStateException", f"{arn} is {state}.")


def not_pending_deletion(arn: str) -> KmsError:
    # CHOSEN: CancelKeyDeletion on a key that is not pending deletion.
    return KmsError("KMSInvalidStateException", f"{arn} is not pending deletion.")


# --- request validation ---------------------------------------------------------------


def validation(message: str) -> KmsError:
    """A ValidationException; AWS does not model it for KMS, so boto3 shows no top-level message."""
    return KmsError("ValidationException", message)


def valid_to_required() -> KmsError:
    # RECORDED, including the missing final period.
    return validation("A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES")


def valid_to_forbidden() -> KmsError:
    # CHOSEN, in the style of the recorded message above.
    return validation(
        "A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE"
    )


def valid_to_not_in_future() -> KmsError:
    # CHOSEN.
    return validation("The validTo date must be in the future")


def valid_to_too_late(max_days: int) -> KmsError:
    # CHOSEN.
    return validation(f"The validTo date must be no more than {max_days} days in the future")


def symmetric_only_parameter(name: str, key_spec: str) -> KmsError:
    # CHOSEN: the guide says requests carrying these parameters are rejected for
    # asymmetric and HMAC keys, without naming the error.
    return validation(
        f"{name} is only valid for symmetric encryption KMS keys, not for KeySpec {key_spec}"
    )


def pending_window_out_of_range(days: int) -> KmsError:
    # CHOSEN: the model's range for PendingWindowInDays is 1 to 365, KMS's rule is 7 to 30;
    # the text follows AWS's request-validation wording.
    bound = "greater than or equal to 7" if days < 7 else "less than or equal to 30"
    return validation(
        f"1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed "
        f"to satisfy constraint: Member must have value {bound}"
    )


def xks_key_id_not_allowed() -> KmsError:
    # CHOSEN.
    return validation("XksKeyId is valid only when Origin is EXTERNAL_KEY_STORE")


def key_material_id_with_new_material() -> KmsError:
    # CHOSEN: the API says KeyMaterialId cannot be combined with NEW_KEY_MATERIAL.
    return validation("KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL")


# --- wrapping parameters --------------------------------------------------------------


_STILL_SUPPORTED_WRAPPING = (
    "RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1"
)


def wrapping_algorithm_deprecated(algorithm: str) -> KmsError:
    # CHOSEN: KMS has not supported RSAES_PKCS1_V1_5 for wrapping since 2023-10-10.
    return KmsError(
        "UnsupportedOperationException",
        f"{algorithm} is no longer supported for importing key material. Use "
        f"{_STILL_SUPPORTED_WRAPPING}.",
    )


def not_supported_in_region(what: str, region: str) -> KmsError:
    # CHOSEN: SM2 and SM2PKE exist only in China Regions; RSA_AES_KEY_WRAP_* not there.
    return KmsError("UnsupportedOperationException", f"{what} is not supported in {region}.")


def wrapping_combination_not_supported(
    refusal: WrappingRefusal, key_spec: str, algorithm: str, wrapping_key_spec: str
) -> KmsError:
    # CHOSEN, every text: refused up front, at GetParametersForImport, where the KeySpec is
    # known (crypto/allowed_wrapping.py says which combinations and why).
    texts = {
        "DEPRECATED_ALGORITHM": f"{algorithm} is no longer supported for importing key "
        f"material. Use {_STILL_SUPPORTED_WRAPPING}.",
        "NOT_IMPORTABLE": f"Key material cannot be imported into {key_spec} KMS keys.",
        "NEEDS_AES_KEY_WRAP": f"{key_spec} key material is too large for {algorithm}. Use "
        "RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1.",
        "NOT_FOR_MATERIAL": f"{algorithm} is not supported for {key_spec} key material.",
        "TOO_LARGE_FOR_WRAPPING_KEY": f"{key_spec} key material is too large for {algorithm} "
        f"with a {wrapping_key_spec} wrapping key. Use a larger wrapping key spec, or "
        "RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1.",
        "SM2_PAIRING": "SM2PKE is supported only with the SM2 wrapping key spec, and the SM2 "
        "wrapping key spec only with SM2PKE.",
    }
    return KmsError("UnsupportedOperationException", texts[refusal.name])


# --- import token, ciphertext, material ------------------------------------------------


def invalid_import_token() -> KmsError:
    # CHOSEN: botocore's description of the error.
    return KmsError(
        "InvalidImportTokenException",
        "The request was rejected because the provided import token is invalid or is "
        "associated with a different KMS key.",
    )


def expired_import_token() -> KmsError:
    # CHOSEN: botocore's description of the error.
    return KmsError(
        "ExpiredImportTokenException",
        "The request was rejected because the specified import token is expired. Use "
        "GetParametersForImport to get a new import token and public key, use the new public "
        "key to encrypt the key material, and then try the request again.",
    )


def invalid_ciphertext() -> KmsError:
    # CHOSEN: empty, as AWS answers a corrupted ciphertext on Decrypt (RECORDED there).
    return KmsError("InvalidCiphertextException", "")


def incorrect_key_material() -> KmsError:
    # CHOSEN: botocore's description of the error.
    return KmsError(
        "IncorrectKeyMaterialException",
        "The request was rejected because the key material in the request is, expired, "
        "invalid, or does not meet expectations. For example, it is not the same key material "
        "that was previously imported or KMS expected new key material but the key material "
        "being imported is already associated with the KMS key.",
    )


def key_material_not_found(material_id: str, arn: str) -> KmsError:
    # CHOSEN: DeleteImportedKeyMaterial with a KeyMaterialId the key does not have.
    return KmsError(
        "NotFoundException", f"Key material (id: {material_id}) does not exist for key {arn}."
    )


def another_material_pending_rotation(new_id: str, arn: str, pending_id: str) -> KmsError:
    # RECORDED.
    return KmsError(
        "KMSInvalidStateException",
        f"New key material (id: {new_id}) cannot be imported into KMS key {arn}, because "
        f"another key material (id: {pending_id}) is pending rotation.",
    )


# --- CreateKey --------------------------------------------------------------------------


def key_usage_required() -> KmsError:
    # RECORDED for HMAC_256 (case 28); CHOSEN (the same text) for the asymmetric specs, for
    # which the API reference also says KeyUsage is required.
    return validation(
        "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."
    )


def key_usage_not_compatible(usage: str, key_spec: str) -> KmsError:
    # Seen in a third-party recording of AWS; used for every bad pairing.
    return validation(f"KeyUsage {usage} is not compatible with KeySpec {key_spec}")


def both_key_specs() -> KmsError:
    # CHOSEN.
    return validation("You cannot specify both KeySpec and CustomerMasterKeySpec")


def key_spec_not_importable(key_spec: str) -> KmsError:
    # CHOSEN: ML-DSA keys cannot hold imported material (documented); for
    # ECC_NIST_EDWARDS25519 no import page says they can.
    return KmsError(
        "UnsupportedOperationException", f"KeySpec {key_spec} is not supported for Origin EXTERNAL"
    )


def key_spec_not_in_region(key_spec: str, region: str) -> KmsError:
    # CHOSEN.
    return KmsError(
        "UnsupportedOperationException", f"KeySpec {key_spec} is not supported in {region}."
    )


def custom_key_store_required(origin: str) -> KmsError:
    # CHOSEN.
    return validation(f"A CustomKeyStoreId is required when Origin is {origin}")


def custom_key_store_not_allowed(origin: str) -> KmsError:
    # CHOSEN.
    return validation(f"CustomKeyStoreId cannot be specified when Origin is {origin}")


def custom_key_store_not_found(store_id: str) -> KmsError:
    # CHOSEN: the mock serves no custom key stores, so none can be found.
    return KmsError(
        "CustomKeyStoreNotFoundException", f"Custom key store {store_id} does not exist."
    )


def invalid_marker() -> KmsError:
    # CHOSEN.
    return KmsError("InvalidMarkerException", "The marker is not valid.")


# --- HTTP transport (local endpoint and raw HTTP) ----------------------------------------


def unknown_operation() -> KmsError:
    # CHOSEN: an X-Amz-Target that names no KMS operation. JSON 1.1 services answer with this
    # bare body and HTTP 400 (seen from CloudWatch Logs in aws/aws-sdk-net#1536).
    return KmsError("UnknownOperationException")


def missing_authentication_token() -> KmsError:
    # CHOSEN: a request with no SigV4 Authorization header.
    return KmsError("MissingAuthenticationTokenException", "Missing Authentication Token")


def incomplete_signature() -> KmsError:
    # CHOSEN: an Authorization header with no SigV4 credential scope in it.
    return KmsError(
        "IncompleteSignatureException",
        "Authorization header requires 'Credential' parameter of the form "
        "'<access key>/<date>/<region>/kms/aws4_request'.",
    )


def invalid_region_scope(region: str) -> KmsError:
    # CHOSEN: a credential scope naming a Region KMS does not have (botocore's endpoint data).
    # AWS's JSON services answer a scope their endpoint does not serve with this code, text
    # (trailing space included) and HTTP 403 (aws/aws-sdk-js-v3#5576, fsouza/s3-upload-proxy#241).
    return KmsError(
        "InvalidSignatureException",
        f"Credential should be scoped to a valid region, not '{region}'. ",
        403,
    )


def invalid_utf8() -> KmsError:
    # CHOSEN: a body that is not UTF-8 cannot be JSON (RFC 8259 section 8.1).
    return KmsError("SerializationException", "Request body is not valid UTF-8.")


def nested_too_deeply() -> KmsError:
    # CHOSEN: no KMS request nests more than a few levels; deeper JSON is refused unread.
    return KmsError("SerializationException", "Request body nests JSON too deeply.")


def body_too_large(limit: int) -> KmsError:
    # CHOSEN: no KMS request comes near the limit (the largest, a policy, is 32 kB).
    return KmsError(
        "RequestEntityTooLargeException",
        f"Request body must not be longer than {limit} bytes.",
        413,
    )


def headers_too_large(limit: int) -> KmsError:
    # CHOSEN: SigV4-signed KMS requests carry a few hundred bytes of headers.
    return KmsError(
        "RequestHeaderFieldsTooLargeException",
        f"Request headers must not be longer than {limit} bytes.",
        431,
    )


def malformed_http() -> KmsError:
    # CHOSEN: a request that is not HTTP/1.1 as RFC 9112 frames it (bad request line, header,
    # Content-Length or chunk). The detail is not echoed: it would repeat the client's bytes.
    return KmsError("SerializationException", "The request is not well-formed HTTP/1.1.")


def transfer_encoding_not_implemented() -> KmsError:
    # CHOSEN: a Transfer-Encoding other than chunked. 501 as RFC 9112 section 6.1 says;
    # the SDKs do not retry it.
    return KmsError(
        "NotImplementedException", "Only the chunked transfer coding is implemented.", 501
    )


def method_not_allowed(method: str) -> KmsError:
    # CHOSEN: KMS's JSON 1.1 protocol is POST / only. The method is shown only if it is a
    # plain HTTP token of at most 16 characters.
    shown = method if method.isalpha() and len(method) <= 16 else "this method"
    return KmsError(
        "UnknownOperationException",
        f"KMS answers POST requests only, not {shown}.",
        405,
    )


def unknown_path() -> KmsError:
    # CHOSEN: a GET of a path other than /health (HTTP 404, as before).
    return KmsError("UnknownOperationException", "", 404)


def internal_error() -> KmsError:
    # CHOSEN: a bug in the mock; the details go to the server log only. HTTP 500, so SDKs
    # retry it as they retry KMS's own KMSInternalException.
    return KmsError(
        "KMSInternalException", "kmsimport_mock internal error; see the server log", 500
    )


# --- accounts ---------------------------------------------------------------------------


def cross_account_access_denied(
    caller_account: str, partition: str, operation: str, arn: str
) -> KmsError:
    # CHOSEN: DescribeKey works across accounts only where the key policy allows it, and the
    # default key policy trusts only the key's own account (the mock keeps no key policies).
    # The text follows the wording of AWS's AccessDenied answers for a missing policy grant.
    return KmsError(
        "AccessDeniedException",
        f"User: arn:{partition}:iam::{caller_account}:root is not authorized to perform: "
        f"kms:{operation} on resource: {arn} because no resource-based policy allows the "
        f"kms:{operation} action",
    )


# --- injected faults --------------------------------------------------------------------


def throttling() -> KmsError:
    # RECORDED on the KMS request quotas page (older version), HTTP 400.
    return KmsError(
        "ThrottlingException",
        "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.",
        400,
    )


def dependency_timeout() -> KmsError:
    # CHOSEN text (botocore's description); HTTP 500 as the KMS API Reference lists it.
    return KmsError(
        "DependencyTimeoutException",
        "The system timed out while trying to fulfill the request. You can retry the request.",
        500,
    )


def kms_internal() -> KmsError:
    # CHOSEN text (botocore's description); HTTP 500 as the KMS API Reference lists it.
    return KmsError(
        "KMSInternalException",
        "The request was rejected because an internal exception occurred. The request can be "
        "retried.",
        500,
    )


def state_not_saved() -> KmsError:
    # CHOSEN (the local endpoint's state dir could not be written, which has no AWS
    # counterpart): the code AWS answers for its own failures, with HTTP 500, which SDKs
    # retry; the call was undone, so a retry still applies it at most once.
    return KmsError(
        "KMSInternalException",
        "kmsimport_mock could not save its state dir; the call was not applied; see the server log",
        500,
    )


# --- rotation (RotateKeyOnDemand, ListKeyRotations) -------------------------------------


def rotation_not_supported() -> KmsError:
    # RECORDED (RotateKeyOnDemand on an RSA_4096 key): the message is empty. CHOSEN (the
    # same answer) for ListKeyRotations on keys without rotations (asymmetric, HMAC).
    return KmsError("UnsupportedOperationException", "")


def no_material_pending_rotation(arn: str) -> KmsError:
    # RECORDED. CHOSEN (the same answer) for a multi-Region key whose new material is not
    # yet in every replica: its state is not PENDING_ROTATION.
    return KmsError(
        "KMSInvalidStateException",
        f"No available key material pending rotation for the key: {arn}.",
    )


def rotation_limit_reached(arn: str) -> KmsError:
    # RECORDED, including the missing final period.
    return KmsError(
        "LimitExceededException",
        "The on-demand rotations limit has been reached for the given keyId. No more on-demand "
        f"rotations can be performed for this key: {arn}",
    )


def rotate_replica(arn: str, primary_arn: str) -> KmsError:
    # CHOSEN: the API says to rotate a set of multi-Region keys on the primary ("multi-region"
    # in lower case, as in the recorded not_primary).
    return KmsError(
        "UnsupportedOperationException",
        f"{arn} is a multi-region replica key. Rotate its primary key {primary_arn} instead.",
    )


def new_material_into_replica(arn: str, primary_arn: str) -> KmsError:
    # CHOSEN: the API says new material cannot be imported directly into a replica.
    return KmsError(
        "UnsupportedOperationException",
        f"New key material cannot be imported into the multi-region replica key {arn}. Import "
        f"it into the primary key {primary_arn} with ImportType NEW_KEY_MATERIAL, then into "
        "each replica key with ImportType EXISTING_KEY_MATERIAL.",
    )


# --- multi-Region keys (ReplicateKey) -----------------------------------------------------


def not_multi_region(arn: str) -> KmsError:
    # CHOSEN, in the words (and lower case) of the recorded not_primary below.
    return KmsError("UnsupportedOperationException", f"{arn} is not a multi-region key.")


def not_primary(arn: str) -> KmsError:
    # RECORDED (ReplicateKey on a replica, case 31), lower-case "multi-region" included.
    return KmsError("UnsupportedOperationException", f"{arn} is not a multi-region primary key.")


def replica_in_primary_region(region: str) -> KmsError:
    # CHOSEN.
    return validation(
        f"The replica Region {region} must be different from the Region of the primary key."
    )


def replica_region_unknown(region: str, partition: str) -> KmsError:
    # CHOSEN: a Region where KMS is not offered, or one of another partition.
    return validation(f"The replica Region {region} is not supported in partition {partition}.")


def replica_exists(arn: str, region: str) -> KmsError:
    # CHOSEN.
    return KmsError(
        "AlreadyExistsException", f"A replica of {arn} already exists in Region {region}."
    )


# --- aliases (CreateAlias, UpdateAlias, DeleteAlias) ------------------------------------------


def alias_prefix_required() -> KmsError:
    # CHOSEN: the text of AWS's answer as users quote it (aws-controllers-k8s/community#1878);
    # not in the recordings.
    return validation(
        'Alias must start with the prefix "alias/". Please see '
        "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html"
    )


def alias_reserved() -> KmsError:
    # CHOSEN: alias/aws/ is reserved for AWS managed keys. moto and local-kms answer this
    # unmodeled code (one of AWS's common errors) with no message; not recorded.
    return KmsError("NotAuthorizedException")


def alias_name_invalid(name: str) -> KmsError:
    # CHOSEN: a name the API reference rules out that the model's pattern lets through
    # (nothing after "alias/", a ":", a trailing newline).
    return KmsError(
        "InvalidAliasNameException",
        f"{name} is not a valid alias name. An alias name is alias/ followed by alphanumeric "
        "characters, forward slashes (/), underscores (_) and dashes (-).",
    )


def alias_exists(alias_arn: str) -> KmsError:
    # CHOSEN: the text of AWS's answer as users quote it (Terraform errors), without a final
    # period; not in the recordings.
    return KmsError("AlreadyExistsException", f"An alias with the name {alias_arn} already exists")


def aliases_per_key_limit(arn: str, limit: int) -> KmsError:
    # CHOSEN: the quota "aliases per KMS key" (50).
    return KmsError(
        "LimitExceededException",
        f"The key {arn} already has {limit} aliases, the most it can have.",
    )


def alias_target_type_differs(arn: str, current_arn: str) -> KmsError:
    # CHOSEN: the API reference says the new target must have the current target's key type
    # (symmetric, asymmetric or HMAC) and key usage, without naming the error.
    return validation(
        f"{arn} cannot be the target of this alias: its key type or key usage differs from "
        f"that of the alias's current target {current_arn}."
    )


# --- tags (CreateKey, ReplicateKey, TagResource, UntagResource) -------------------------------


def too_many_tags() -> KmsError:
    # RECORDED (CreateKey with 51 tags). CHOSEN (the same answer) for TagResource when the
    # key would have more than 50 tags.
    return KmsError("TagException", "Too many tags")


def reserved_tag_key() -> KmsError:
    # RECORDED (CreateKey, a tag key beginning with aws: or AWS:). CHOSEN (the same answer)
    # for TagResource, and for UntagResource given such a key.
    return KmsError("TagException", "Tags beginning with aws: are reserved")


def duplicate_tag_keys() -> KmsError:
    # CHOSEN: AWS refuses one tag key given twice in a request (issue 15); its text is not
    # recorded. LocalStack answers these words.
    return KmsError("TagException", "Duplicate tag keys")


# --- key policies (CreateKey, ReplicateKey, PutKeyPolicy, GetKeyPolicy) ----------------------


def malformed_policy(problem: str) -> KmsError:
    # CHOSEN: botocore's description of the error, then what is wrong.
    return KmsError(
        "MalformedPolicyDocumentException",
        f"The policy is not syntactically or semantically correct: {problem}",
    )


def policy_characters(policy: str, pattern: str) -> KmsError:
    # CHOSEN: the protocol's answer to a value outside the model's pattern, for a policy with a
    # character the API reference rules out.
    return validation(
        f"1 validation error detected: Value '{policy}' at 'policy' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {pattern}"
    )


def policy_too_large(limit: int) -> KmsError:
    # CHOSEN text; the code is the API reference's: "If the key policy exceeds the length
    # constraint, KMS returns a LimitExceededException" (the quota is 32 KB).
    return KmsError(
        "LimitExceededException", f"The key policy is larger than {limit} bytes, the most allowed."
    )


def policy_not_found(name: str) -> KmsError:
    # CHOSEN: the only key policy name is "default".
    return KmsError(
        "NotFoundException", f"No key policy named {name} exists. The only key policy is default."
    )


# --- cryptographic operations: Encrypt, Sign, GenerateMac, ... ------------------------------


def invalid_key_usage(arn: str, usage: str, operation: str) -> KmsError:
    # RECORDED (GenerateMac, Sign, Verify and Encrypt on a key of another usage); the same
    # form for every cryptographic operation.
    return KmsError(
        "InvalidKeyUsageException",
        f"{arn} key usage is {usage} which is not valid for {operation}.",
    )


def key_spec_not_valid(arn: str, key_spec: str, operation: str) -> KmsError:
    # CHOSEN: GenerateDataKey* and GenerateDataKeyPair* need a symmetric encryption key; an
    # RSA or SM2 ENCRYPT_DECRYPT key has the right usage but the wrong key spec.
    return KmsError(
        "InvalidKeyUsageException",
        f"{arn} key spec is {key_spec} which is not valid for {operation}.",
    )


def encryption_algorithm_not_valid(arn: str, algorithm: str, supported: list[str]) -> KmsError:
    # CHOSEN: the API says the algorithm must be compatible with the key spec; the error is
    # InvalidKeyUsageException (botocore's description of it names this case).
    return KmsError(
        "InvalidKeyUsageException",
        f"{arn} does not support the encryption algorithm {algorithm}. "
        f"Its encryption algorithms: {', '.join(supported)}.",
    )


def plaintext_too_large(algorithm: str, key_spec: str, limit: int) -> KmsError:
    # RECORDED for RSAES_OAEP_* with RSA_2048/3072/4096 (LocalStack's AWS-validated
    # test_encrypt_validate_plaintext_size_per_key_type); CHOSEN (the same form) for SM2PKE.
    return validation(
        f"Algorithm {algorithm} and key spec {key_spec} cannot encrypt data larger than "
        f"{limit} bytes."
    )


def encryption_context_not_supported(name: str, key_spec: str) -> KmsError:
    # CHOSEN: the API says an encryption context is valid only with symmetric encryption
    # keys; the standard asymmetric algorithms have no place for it.
    return validation(
        f"{name} is valid only for symmetric encryption KMS keys, not for KeySpec {key_spec}."
    )


def incorrect_key() -> KmsError:
    # CHOSEN: botocore's description of the error (Decrypt's KeyId or ReEncrypt's
    # SourceKeyId is not the key the ciphertext was made with).
    return KmsError(
        "IncorrectKeyException",
        "The request was rejected because the specified KMS key cannot decrypt the data. The "
        "KeyId in a Decrypt request and the SourceKeyId in a ReEncrypt request must identify "
        "the same KMS key that was used to encrypt the ciphertext.",
    )


def data_key_length_required() -> KmsError:
    # CHOSEN: neither or both of KeySpec and NumberOfBytes; the text moto, floci and other
    # emulators answer (the API requires exactly one of them).
    return validation("Please specify either number of bytes or key spec.")


def ciphertext_required(name: str) -> KmsError:
    # CHOSEN: CiphertextBlob is optional in the model only for DryRun with
    # IGNORE_CIPHERTEXT; otherwise the answer is the model's "must not be null" check.
    camel = name[:1].lower() + name[1:]
    return validation(
        f"1 validation error detected: Value null at '{camel}' failed to satisfy constraint: "
        "Member must not be null"
    )


def key_id_required_for_ignore_ciphertext(name: str) -> KmsError:
    # CHOSEN: the API requires the key id when DryRunModifiers has IGNORE_CIPHERTEXT.
    return validation(f"{name} is required when DryRunModifiers includes IGNORE_CIPHERTEXT.")


def key_pair_spec_not_in_region(key_pair_spec: str, region: str) -> KmsError:
    # CHOSEN: SM2 data key pairs exist only in China Regions.
    return KmsError(
        "UnsupportedOperationException",
        f"KeyPairSpec {key_pair_spec} is not supported in {region}.",
    )


def algorithm_incompatible(algorithm: str, key_spec: str) -> KmsError:
    # RECORDED (GenerateMac, VerifyMac with a MacAlgorithm of another HMAC spec); CHOSEN
    # (the same answer) for a SigningAlgorithm the key spec does not list.
    return KmsError(
        "InvalidKeyUsageException",
        f"Algorithm {algorithm} is incompatible with key spec {key_spec}.",
    )


def digest_invalid_length(algorithm: str) -> KmsError:
    # RECORDED (Sign with MessageType=DIGEST and a message of another length).
    return validation(f"Digest is invalid length for algorithm {algorithm}.")


def message_type_incompatible_with_algorithm(message_type: str, algorithm: str) -> KmsError:
    # CHOSEN: the API says ED25519_SHA_512 needs RAW and ED25519_PH_SHA_512 needs DIGEST.
    return validation(f"Message type {message_type} is incompatible with algorithm {algorithm}.")


def message_type_incompatible_with_key_spec(message_type: str, key_spec: str) -> KmsError:
    # CHOSEN: EXTERNAL_MU is for ML-DSA only, and ML-DSA takes no DIGEST.
    return validation(f"Message type {message_type} is incompatible with key spec {key_spec}.")


def external_mu_invalid_length(algorithm: str) -> KmsError:
    # CHOSEN, in the words of the recorded digest-length answer: μ must be 64 bytes.
    return validation(f"External Mu is invalid length for algorithm {algorithm}.")


def invalid_signature() -> KmsError:
    # RECORDED (Verify of a signature that does not match): the message is empty.
    return KmsError("KMSInvalidSignatureException", "")


def invalid_mac() -> KmsError:
    # RECORDED (VerifyMac of a MAC that does not match): the message is empty.
    return KmsError("KMSInvalidMacException", "")


def dry_run() -> KmsError:
    # CHOSEN: botocore's description of the error, for a request with DryRun=true that
    # would have succeeded.
    return KmsError(
        "DryRunOperationException",
        "The request was rejected because the DryRun parameter was specified.",
    )


def no_public_key(arn: str, key_spec: str) -> KmsError:
    # CHOSEN: GetPublicKey on a symmetric encryption or HMAC key, which has no public key;
    # in the words KMS uses for an origin that does not fit an operation.
    return KmsError(
        "UnsupportedOperationException",
        f"{arn} key spec is {key_spec} which is not valid for this operation.",
    )


# --- GenerateRandom ----------------------------------------------------------------------


def number_of_bytes_required() -> KmsError:
    # RECORDED (GenerateRandom without NumberOfBytes, which the model does not mark required).
    return validation("NumberOfBytes is required.")


# --- automatic rotation (EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus) -----


def automatic_rotation_not_supported(arn: str, key_spec: str) -> KmsError:
    # CHOSEN: the API says automatic rotation is for symmetric encryption keys only (recorded
    # case 34 has no message); in the words of the key-state table's origin answer.
    return KmsError(
        "UnsupportedOperationException",
        f"{arn} key spec is {key_spec} which is not valid for this operation.",
    )


def automatic_rotation_of_replica(arn: str, primary_arn: str) -> KmsError:
    # CHOSEN: the API says automatic rotation of multi-Region keys is set on the primary.
    return KmsError(
        "UnsupportedOperationException",
        f"{arn} is a multi-Region replica key. Set automatic rotation on its primary key "
        f"{primary_arn}.",
    )
