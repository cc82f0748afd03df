"""The import operations: GetParametersForImport, ImportKeyMaterial and
DeleteImportedKeyMaterial."""

from __future__ import annotations

import datetime as _dt

from ...crypto import sm2
from ...crypto.allowed_wrapping import (
    AES_KEY_WRAP_ALGORITHMS,
    CHINA_ONLY_WRAPPING_ALGORITHMS,
    CHINA_ONLY_WRAPPING_KEY_SPECS,
    DEPRECATED_WRAPPING_ALGORITHMS,
    china_wrapping_problem,
    wrapping_combination_problem,
)
from ...crypto.errors import UnwrapError
from ...crypto.material import IncorrectMaterial, check_key_material, same_key_material
from ...crypto.wrapping import unwrap_key_material
from .. import kms_errors
from ..clock import as_utc, utcnow
from ..import_tokens import InvalidToken, TokenClaims
from ..key_specs import is_china_region
from ..key_states import (
    DELETION_STATES,
    refuse_pending_deletion,
    refuse_transitional,
    refuse_unless_external,
)
from ..model import (
    CURRENT,
    DOES_NOT_EXPIRE,
    EXPIRES,
    PENDING_ROTATION,
    Key,
    KeyMaterial,
    key_material_id,
)
from ..store import KmsBackend
from ..types import Caller, Params, Response

_CHINA_ONLY_WRAPPING = CHINA_ONLY_WRAPPING_ALGORITHMS | CHINA_ONLY_WRAPPING_KEY_SPECS
IMPORT_PARAMETERS_LIFETIME = _dt.timedelta(hours=24)
MAX_VALID_TO_DAYS = 365


def _check_import_target(key: Key) -> None:
    """GetParametersForImport and ImportKeyMaterial: EXTERNAL keys not being deleted."""
    refuse_unless_external(key)
    refuse_pending_deletion(key)
    if key.state == "Creating":
        raise kms_errors.creating(key.arn)


def get_parameters_for_import(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    algorithm = params["WrappingAlgorithm"]
    wrapping_spec = params["WrappingKeySpec"]
    if algorithm in DEPRECATED_WRAPPING_ALGORITHMS:
        raise kms_errors.wrapping_algorithm_deprecated(algorithm)
    china = is_china_region(caller.region)
    for value in (wrapping_spec, algorithm):
        if value in _CHINA_ONLY_WRAPPING and not china:
            raise kms_errors.not_supported_in_region(value, caller.region)
        if value in AES_KEY_WRAP_ALGORITHMS and china:
            raise kms_errors.not_supported_in_region(value, caller.region)
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        _check_import_target(key)
        if key.state == "Updating":
            raise kms_errors.updating(key.arn)
        if wrapping_spec in _CHINA_ONLY_WRAPPING or algorithm in _CHINA_ONLY_WRAPPING:
            problem = china_wrapping_problem(key.key_spec, algorithm, wrapping_spec)
        else:
            problem = wrapping_combination_problem(key.key_spec, algorithm, wrapping_spec)
        if problem is not None:
            raise kms_errors.wrapping_combination_not_supported(
                problem, key.key_spec, algorithm, wrapping_spec
            )
        arn = key.arn
    public_key_der, fingerprint, private_key = _issue_wrapping_key(backend, wrapping_spec)
    valid_to = utcnow() + IMPORT_PARAMETERS_LIFETIME
    token = backend.tokens.seal(
        TokenClaims(
            account=caller.account,
            region=caller.region,
            key_arn=arn,
            wrapping_algorithm=algorithm,
            wrapping_key_spec=wrapping_spec,
            wrapping_key_fingerprint=fingerprint,
            valid_to=valid_to,
            wrapping_private_key=private_key,
        )
    )
    return {
        "KeyId": arn,
        "ImportToken": token,
        "PublicKey": public_key_der,
        "ParametersValidTo": valid_to,
    }


def _issue_wrapping_key(backend: KmsBackend, spec: str) -> tuple[bytes, bytes, bytes | None]:
    """(public key DER, fingerprint, private key to seal into the token or None)."""
    if spec in CHINA_ONLY_WRAPPING_KEY_SPECS:
        sm2_key = sm2.generate_wrapping_key()
        return sm2_key.public_key_der, sm2_key.fingerprint, sm2_key.private_value
    wrapping_key = backend.pool.issue(spec)
    return wrapping_key.public_key_der, wrapping_key.fingerprint, None


def _unwrap(backend: KmsBackend, claims: TokenClaims, blob: bytes) -> bytes:
    """The plaintext key material, unwrapped with the token's wrapping key and algorithm."""
    try:
        if claims.wrapping_private_key is not None:
            return sm2.sm2pke_decrypt(claims.wrapping_private_key, blob)
        wrapping_key = backend.pool.find(claims.wrapping_key_fingerprint)
        if wrapping_key is None:
            raise kms_errors.invalid_import_token()
        return unwrap_key_material(wrapping_key.private_key, claims.wrapping_algorithm, blob)
    except UnwrapError:
        raise kms_errors.invalid_ciphertext() from None


def import_key_material(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    now = utcnow()
    expiration_model, valid_to = _expiration(params, now)
    import_type = params.get("ImportType")
    if import_type == "NEW_KEY_MATERIAL" and "KeyMaterialId" in params:
        raise kms_errors.key_material_id_with_new_material()

    with backend.lock:
        key = _checked_import_key(backend, caller, params)
        claims = _open_token(backend, caller, key, params["ImportToken"], now)
    # The RSA decryption is the slow part; it runs outside the lock, and the key is
    # looked up and checked again before anything changes.
    material = _unwrap(backend, claims, params["EncryptedKeyMaterial"])
    try:
        check_key_material(key.key_spec, material, china=is_china_region(caller.region))
    except IncorrectMaterial:
        raise kms_errors.incorrect_key_material() from None

    with backend.lock:
        key = _checked_import_key(backend, caller, params)
        if key.is_symmetric:
            material_id = _import_symmetric(key, material, params, import_type)
        else:
            material_id = _import_single(key, material)
        target = key.material_by_id(material_id)
        assert target is not None
        target.plaintext = material
        target.expiration_model = expiration_model
        target.valid_to = valid_to
        if key.state == "PendingImport" and key.has_all_permanent_material:
            key.state = "Enabled"
        _sync_multi_region(backend, key)
        return {"KeyId": key.arn, "KeyMaterialId": material_id}


def _sync_multi_region(backend: KmsBackend, key: Key) -> None:
    primary = backend.primary_of(key) if key.multi_region else None
    if primary is not None:
        backend.sync_multi_region(primary)


def _checked_import_key(backend: KmsBackend, caller: Caller, params: Params) -> Key:
    key = backend.resolve(caller, params["KeyId"], aliases=False)
    _check_import_target(key)
    if not key.is_symmetric:
        for name in ("ImportType", "KeyMaterialId", "KeyMaterialDescription"):
            if name in params:
                raise kms_errors.symmetric_only_parameter(name, key.key_spec)
    if key.primary_arn is not None and params.get("ImportType") == "NEW_KEY_MATERIAL":
        raise kms_errors.new_material_into_replica(key.arn, key.primary_arn)
    return key


def _open_token(
    backend: KmsBackend, caller: Caller, key: Key, token: bytes, now: _dt.datetime
) -> TokenClaims:
    try:
        claims = backend.tokens.open(token)
    except InvalidToken:
        raise kms_errors.invalid_import_token() from None
    if (claims.account, claims.region, claims.key_arn) != (
        caller.account,
        caller.region,
        key.arn,
    ):
        raise kms_errors.invalid_import_token()
    if claims.valid_to <= now:
        raise kms_errors.expired_import_token()
    return claims


def _import_single(key: Key, material: bytes) -> str:
    """HMAC and asymmetric keys: one material, forever; only it can be reimported."""
    existing = key.only_material
    if existing is None:
        existing = KeyMaterial(key_material_id(key.key_id, material), CURRENT, None)
        existing.reference = material
        key.materials.append(existing)
    elif not same_key_material(key.key_spec, existing.reference, material):
        raise kms_errors.incorrect_key_material()
    return existing.material_id


def _import_symmetric(key: Key, material: bytes, params: Params, import_type: str | None) -> str:
    material_id = key_material_id(key.key_id, material)
    if import_type is None:
        # Documented default: new material for a key that never had any, else existing.
        # A replica starts out associated with its primary's materials, so its first
        # import defaults to existing material, as the documented procedure needs.
        import_type = "EXISTING_KEY_MATERIAL" if key.materials else "NEW_KEY_MATERIAL"
        if import_type == "NEW_KEY_MATERIAL" and "KeyMaterialId" in params:
            raise kms_errors.key_material_id_with_new_material()
    description = params.get("KeyMaterialDescription")
    if import_type == "NEW_KEY_MATERIAL":
        if key.material_by_id(material_id) is not None:
            raise kms_errors.incorrect_key_material()
        state = CURRENT
        if key.materials:
            pending = key.pending_material
            if pending is not None:
                raise kms_errors.another_material_pending_rotation(
                    material_id, key.arn, pending.material_id
                )
            state = PENDING_ROTATION
        new = KeyMaterial(material_id, state, None, description=description)
        new.reference = material
        key.materials.append(new)
        return material_id
    wanted = params.get("KeyMaterialId")
    if wanted is not None and wanted != material_id:
        raise kms_errors.incorrect_key_material()
    existing = key.material_by_id(material_id)
    if existing is None:
        raise kms_errors.incorrect_key_material()
    if description is not None:
        existing.description = description
    return material_id


def delete_imported_key_material(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        refuse_unless_external(key)
        refuse_transitional(key)
        wanted = params.get("KeyMaterialId")
        if wanted is not None and not key.is_symmetric:
            raise kms_errors.symmetric_only_parameter("KeyMaterialId", key.key_spec)
        if wanted is not None:
            material = key.material_by_id(wanted)
            if material is None:
                raise kms_errors.key_material_not_found(wanted, key.arn)
        else:
            material = key.current_material if key.is_symmetric else key.only_material
        if material is None or not material.imported:
            # Nothing imported: AWS answers success and changes nothing.
            return {"KeyId": key.arn, "KeyMaterialId": material.material_id if material else ""}
        if material.permanent:
            material.remove()
            if key.state not in DELETION_STATES:
                key.state = "PendingImport"
        elif key.primary_arn is not None:
            # A replica's copy of pending material: the association belongs to the
            # primary, which (with the other replicas) stays unchanged.
            material.remove()
        else:
            # Pending material is not permanently associated: it goes entirely (from the
            # replicas too, for a primary), and other material may be imported in its place.
            key.materials.remove(material)
        _sync_multi_region(backend, key)
        return {"KeyId": key.arn, "KeyMaterialId": material.material_id}


def _expiration(params: Params, now: _dt.datetime) -> tuple[str, _dt.datetime | None]:
    """ImportKeyMaterial's ExpirationModel and ValidTo, checked as the API documents them."""
    model = params.get("ExpirationModel", EXPIRES)
    valid_to = params.get("ValidTo")
    if model == DOES_NOT_EXPIRE:
        if valid_to is not None:
            raise kms_errors.valid_to_forbidden()
        return model, None
    if valid_to is None:
        raise kms_errors.valid_to_required()
    valid_to = as_utc(valid_to)
    if valid_to <= now:
        raise kms_errors.valid_to_not_in_future()
    if valid_to > now + _dt.timedelta(days=MAX_VALID_TO_DAYS):
        raise kms_errors.valid_to_too_late(MAX_VALID_TO_DAYS)
    return model, valid_to
