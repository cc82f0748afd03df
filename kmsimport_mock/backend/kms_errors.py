"""Every error the backend can answer with, in one place.

:class:`KmsError` is an answer AWS KMS gives as an error; each function below returns the
one AWS would send in its situation. Messages marked
``RECORDED`` were recorded from real AWS and are reproduced to the letter. Messages
marked ``CHOSEN`` answer a point the specification lists as UNCONFIRMED: the code is the
one AWS models for the situation and the text is ours (usually the botocore description of
the error). docs/choices.md lists every CHOSEN answer; change them here and nowhere else.
"""

from __future__ import annotations


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


def alias_not_found(alias_arn: str) -> KmsError:
    # CHOSEN: aliases are not served; AWS's DescribeKey answers unknown aliases this way.
    return KmsError("NotFoundException", f"Alias {alias_arn} is not found.")


# --- key state ------------------------------------------------------------------------


def origin_not_valid(arn: str, origin: str) -> KmsError:
    # RECORDED for GetParametersForImport; CHOSEN (same text) for the other import operations.
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


def key_material_id_with_new_material() -> KmsError:
    # CHOSEN: the API says KeyMaterialId cannot be combined with NEW_KEY_MATERIAL.
    return validation("KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL")


# --- wrapping parameters --------------------------------------------------------------


def wrapping_algorithm_deprecated(algorithm: str) -> KmsError:
    # CHOSEN: AWS has not supported RSAES_PKCS1_V1_5 for wrapping since 2023-10-10.
    return KmsError(
        "UnsupportedOperationException",
        f"The wrapping algorithm {algorithm} is no longer supported. KMS stopped supporting it "
        "for importing key material on October 10, 2023. Use RSAES_OAEP_SHA_256, "
        "RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1.",
    )


def not_supported_in_region(what: str, region: str) -> KmsError:
    # CHOSEN: SM2 and SM2PKE exist only in China Regions; RSA_AES_KEY_WRAP_* not there.
    return KmsError("UnsupportedOperationException", f"{what} is not supported in {region}.")


def wrapping_combination_not_supported(problem: str) -> KmsError:
    # CHOSEN: refused up front, at GetParametersForImport, where the KeySpec is known.
    return KmsError("UnsupportedOperationException", problem)


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
    # CHOSEN: the API says to rotate a set of multi-Region keys on the primary.
    return KmsError(
        "UnsupportedOperationException",
        f"{arn} is a multi-Region replica key. Rotate its primary key {primary_arn} on demand.",
    )


def new_material_into_replica(arn: str, primary_arn: str) -> KmsError:
    # CHOSEN: the API says new material cannot be imported directly into a replica.
    return KmsError(
        "UnsupportedOperationException",
        f"New key material cannot be imported into the multi-Region replica key {arn}. Import "
        f"it into the primary key {primary_arn} with ImportType NEW_KEY_MATERIAL, then into "
        "each replica key with ImportType EXISTING_KEY_MATERIAL.",
    )


# --- multi-Region keys (ReplicateKey) -----------------------------------------------------


def not_multi_region(arn: str) -> KmsError:
    # CHOSEN.
    return KmsError("UnsupportedOperationException", f"{arn} is not a multi-Region key.")


def not_primary(arn: str) -> KmsError:
    # CHOSEN: only a primary key can be replicated.
    return KmsError("UnsupportedOperationException", f"{arn} is not a multi-Region primary key.")


def replica_in_primary_region(region: str) -> KmsError:
    # CHOSEN.
    return validation(
        f"The replica Region {region} must be different from the Region of the primary key."
    )


def replica_region_unknown(region: str, partition: str) -> KmsError:
    # CHOSEN: a Region where KMS is not offered, or one of another partition.
    return validation(f"KMS is not available in Region {region} of partition {partition}.")


def replica_exists(arn: str, region: str) -> KmsError:
    # CHOSEN.
    return KmsError(
        "AlreadyExistsException", f"A replica of {arn} already exists in Region {region}."
    )
