"""Working beside moto: moto serves KMS, this package serves the import and EXTERNAL keys.

Everything that touches moto lives in this package; importing it does not import moto (it
looks at ``sys.modules`` to see whether moto is there at all). One module per job:
:mod:`.routing` decides who answers a request, :mod:`.shadow_keys` keeps a key in our
backend for each of moto's, :mod:`.bridged_key` makes moto's EXTERNAL keys read that key,
:mod:`.after_call` fixes up what moto answered, :mod:`.key_creation` spares moto's
CreateKey of EXTERNAL keys the key generation it would throw away. How the pieces fit:

- While moto's ``mock_aws`` is active, the interceptor's ``before-call`` handler answers
  only (a) the operations served in place of moto and (b) requests moto would not serve (a
  URL moto does not take for KMS, KMS passed through in moto's config), from our backend;
  everything else goes on to moto's stubber at ``before-send``. Both use moto's account and
  Region for the request.
- Operations served in place of moto: every operation our backend serves that moto does not
  implement at all (the import operations, and any added later), plus
  :data:`EXTERNAL_KEY_OPERATIONS` (the key's life, the cryptographic operations, automatic
  rotation) when the request names an ``Origin=EXTERNAL`` key, by key id, key ARN or one of
  moto's aliases (replaced by the key ARN in the body our backend reads), and for Decrypt
  and ReEncrypt also when the ciphertext is not one moto made under a key of its own. They
  run through the very same backend and operations as standalone mode, on a *shadow* key
  that the bridge keeps in the active mock's backend for each of moto's keys; an operation
  our backend does not serve stays moto's. moto keeps serving its own AWS_KMS keys.
- moto's EXTERNAL keys are *bridged*: their class is swapped for a subclass whose
  ``key_state``, ``enabled`` and ``deletion_date`` read and write the shadow key and whose
  ``to_dict`` answers with its metadata, so moto's own ListKeys, DescribeKey, aliases,
  tags... see the key state our rules keep. An ``after-call`` handler bridges keys moto has
  just made (CreateKey, ReplicateKey) and rewrites their KeyMetadata from the bridged key.
  moto's own cryptographic operations never see an EXTERNAL key, so nothing of moto reads
  its imported material.
- moto's CreateKey(Origin=EXTERNAL) defers moto's private key generation
  (:mod:`.key_creation`): the key would be thrown away, as the material comes by import.
- The bridge remembers which moto key object each shadow stands for, and forgets a shadow
  (through the backend's ``remove_key``) once moto no longer holds that very object, so
  moto's reset (at every start and stop of ``mock_aws``) drops the shadows too. The
  backend itself knows nothing of moto.

moto internals relied on (tested with moto 5.1.0, 5.2.1 and 5.2.5; what this round added,
``generate_private_key``, the aliases and the ciphertext layout, with 5.1.0 and 5.2.5; a
moto release that changes any of these breaks here, and ``tests/test_with_moto.py`` shows
it):

- ``moto.core.models.botocore_stubber.enabled``: True while ``mock_aws`` is active in
  decorator mode (server mode is not bridged).
- Which requests moto's stubber serves: ``moto.core.utils.get_equivalent_url_in_aws_domain``,
  ``moto.core.config.passthrough_url`` / ``passthrough_service`` and
  ``moto.backend_index.backend_url_patterns`` (pairs of service name and URL regex), used as
  the stubber uses them.
- ``moto.core.exceptions.JsonRESTError(code, message)``: an error moto's stubber turns into
  a JSON error response.
- ``moto.kms.models.kms_backends[account][region]`` (dict subclasses; read with ``.get``
  so nothing is created) and its ``.keys`` dict of key id -> ``moto.kms.models.Key``.
- ``moto.kms.models.Key`` attributes ``id``, ``arn``, ``account_id``, ``region``,
  ``creation_date`` (epoch float), ``description``, ``key_spec``, ``key_usage``,
  ``origin``, ``key_state``, ``enabled``, ``deletion_date`` (naive UTC), ``aliases`` (moto
  5.2: dict keyed by alias name, ``alias/...``; moto 5.1 keeps
  ``KmsBackend.key_to_aliases``, key id -> set of alias names), and the method
  ``to_dict()`` (DescribeKey, CreateKey, ReplicateKey). moto's ReplicateKey copies the
  ``Key`` object, instance dict included.
- moto's ciphertexts (``moto.kms.utils`` encrypt): the 36-character key id, a 12-byte IV,
  a 16-byte tag, then the encrypted bytes; the router reads the key id to tell moto's
  ciphertexts from ours.
- ``moto.kms.models.generate_private_key(key_spec)``: the module global ``Key.__init__``
  calls (at call time) for the private key of every key it makes, its only key generation
  besides ``os.urandom``; the bridge replaces it once with a function that returns a
  :class:`.key_creation.DeferredPrivateKey` while moto serves a CreateKey with
  ``Origin=EXTERNAL`` on the same thread, and calls moto's otherwise.
- ``moto.kms.responses.KmsResponse``: its methods named after operations (snake case) tell
  which operations moto implements; its ``get_current_account()`` (reads ``self.headers``,
  ``self.querystring``) and ``get_region_from_url(request, url)`` (reads
  ``request.headers``) resolve the account (``MOTO_ACCOUNT_ID``, ``x-moto-account-id``, the
  access key of assumed-role credentials) and the Region of a request exactly as moto does.
  They read the access key id and Region from the ``Authorization`` header (moto's
  ``access_key_regex``, and the credential scope's third field); the bridge writes that
  header from the key the client's credentials hold instead of signing, which could fetch
  credentials from AWS.
"""

from __future__ import annotations

import sys

from .after_call import after_call
from .routing import (
    EXTERNAL_KEY_OPERATIONS,
    before_moto,
    begin_call,
    in_place_of_moto,
    moto_answers_for_any_account,
    moto_caller,
    moto_operations,
    moto_serves,
    serves_in_place_of_moto,
)
from .shadow_keys import adopt, forget_dropped_keys, sync


def moto_active() -> bool:
    """True while moto's ``mock_aws`` is active (decorator mode). Never imports moto."""
    models = sys.modules.get("moto.core.models")
    if models is None:
        return False
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


__all__ = [
    "EXTERNAL_KEY_OPERATIONS",
    "adopt",
    "after_call",
    "before_moto",
    "begin_call",
    "forget_dropped_keys",
    "in_place_of_moto",
    "moto_active",
    "moto_answers_for_any_account",
    "moto_caller",
    "moto_operations",
    "moto_serves",
    "serves_in_place_of_moto",
    "sync",
]
