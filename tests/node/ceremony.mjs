// A complete BYOK ceremony with the AWS SDK for JavaScript v3, as a Node.js program runs it
// against AWS, pointed at the local endpoint (python -m kmsimport_mock serve).
//
//   KMS_ENDPOINT=http://127.0.0.1:4599 node ceremony.mjs            # every step
//   KMS_ENDPOINT=... CEREMONY_STEPS=create-key,import node ceremony.mjs
//   node ceremony.mjs --list     # the steps as JSON: operations called and steps needed
//
// Each step prints "ok <step>" or "FAIL <step>: <error>"; the exit status is 1 if any failed.
// A step uses what the steps it needs left in `state`; run a step without them and it fails
// saying which one it needs.

import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  UpdateKeyDescriptionCommand,
} from "@aws-sdk/client-kms";
import crypto from "node:crypto";

const state = {};
const alias = `alias/byok-ceremony-${crypto.randomBytes(4).toString("hex")}`;
const material = crypto.randomBytes(32);

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// RSAES_OAEP_SHA_256 with the DER SubjectPublicKeyInfo GetParametersForImport returns.
function oaepSha256(publicKeyDer, plaintext) {
  const key = crypto.createPublicKey({ key: Buffer.from(publicKeyDer), format: "der", type: "spki" });
  return crypto.publicEncrypt(
    { key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    plaintext,
  );
}

// RSA_AES_KEY_WRAP_SHA_256: a fresh AES-256 key under OAEP, then the material wrapped with
// it by RFC 5649 (AES key wrap with padding), as AWS's OpenSSL procedure does.
function rsaAesKeyWrapSha256(publicKeyDer, plaintext) {
  const aesKey = crypto.randomBytes(32);
  const wrap = crypto.createCipheriv("id-aes256-wrap-pad", aesKey, Buffer.from("A65959A6", "hex"));
  return Buffer.concat([oaepSha256(publicKeyDer, aesKey), wrap.update(plaintext), wrap.final()]);
}

async function refusedWith(kms, command, code) {
  try {
    await kms.send(command);
  } catch (error) {
    check(error.name === code, `expected ${code}, got ${error.name}: ${error.message}`);
    return error;
  }
  throw new Error(`expected ${code}, the call succeeded`);
}

async function importInto(kms, keyId, algorithm, wrappingKeySpec, plaintext) {
  const parameters = await kms.send(
    new GetParametersForImportCommand({
      KeyId: keyId,
      WrappingAlgorithm: algorithm,
      WrappingKeySpec: wrappingKeySpec,
    }),
  );
  const wrapped =
    algorithm === "RSAES_OAEP_SHA_256"
      ? oaepSha256(parameters.PublicKey, plaintext)
      : rsaAesKeyWrapSha256(parameters.PublicKey, plaintext);
  await kms.send(
    new ImportKeyMaterialCommand({
      KeyId: keyId,
      ImportToken: parameters.ImportToken,
      EncryptedKeyMaterial: wrapped,
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
    }),
  );
}

async function keyState(kms, keyId) {
  return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata.KeyState;
}

// name -> { operations it calls, steps it needs, run }
const STEPS = {
  "create-key": {
    operations: ["CreateKey"],
    needs: [],
    async run(kms) {
      const { KeyMetadata } = await kms.send(
        new CreateKeyCommand({
          Origin: "EXTERNAL",
          Description: "BYOK ceremony key",
          Tags: [{ TagKey: "team", TagValue: "payments" }],
        }),
      );
      check(KeyMetadata.KeyState === "PendingImport", `KeyState ${KeyMetadata.KeyState}`);
      check(KeyMetadata.Origin === "EXTERNAL", `Origin ${KeyMetadata.Origin}`);
      state.keyId = KeyMetadata.KeyId;
      state.keyArn = KeyMetadata.Arn;
    },
  },
  "create-alias": {
    operations: ["CreateAlias"],
    needs: ["create-key"],
    async run(kms) {
      await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: state.keyId }));
    },
  },
  import: {
    operations: ["GetParametersForImport", "ImportKeyMaterial", "DescribeKey"],
    needs: ["create-key"],
    async run(kms) {
      await importInto(kms, state.keyId, "RSAES_OAEP_SHA_256", "RSA_4096", material);
      check((await keyState(kms, state.keyId)) === "Enabled", "not Enabled after the import");
    },
  },
  "describe-by-alias": {
    operations: ["DescribeKey"],
    needs: ["create-alias", "import"],
    async run(kms) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: alias }));
      check(KeyMetadata.KeyId === state.keyId, `alias names ${KeyMetadata.KeyId}`);
      check(KeyMetadata.KeyState === "Enabled", `KeyState ${KeyMetadata.KeyState}`);
    },
  },
  "encrypt-decrypt": {
    operations: ["Encrypt", "Decrypt"],
    needs: ["import"],
    async run(kms) {
      const plaintext = Buffer.from("card number 4111 1111 1111 1111");
      const { CiphertextBlob } = await kms.send(
        new EncryptCommand({ KeyId: state.keyId, Plaintext: plaintext }),
      );
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob }));
      check(Buffer.from(decrypted.Plaintext).equals(plaintext), "Decrypt gave other bytes");
      check(decrypted.KeyId === state.keyArn, `Decrypt names ${decrypted.KeyId}`);
    },
  },
  "list-resource-tags": {
    operations: ["ListResourceTags"],
    needs: ["create-key"],
    async run(kms) {
      const { Tags } = await kms.send(new ListResourceTagsCommand({ KeyId: state.keyId }));
      check(
        Tags.some((tag) => tag.TagKey === "team" && tag.TagValue === "payments"),
        `tags ${JSON.stringify(Tags)}`,
      );
    },
  },
  "get-key-policy": {
    operations: ["GetKeyPolicy"],
    needs: ["create-key"],
    async run(kms) {
      const { Policy } = await kms.send(
        new GetKeyPolicyCommand({ KeyId: state.keyId, PolicyName: "default" }),
      );
      check(Array.isArray(JSON.parse(Policy).Statement), "the policy has no Statement list");
    },
  },
  "enable-key-rotation-refused": {
    operations: ["EnableKeyRotation"],
    needs: ["import"],
    async run(kms) {
      // Automatic rotation is not available for keys with imported material.
      await refusedWith(
        kms,
        new EnableKeyRotationCommand({ KeyId: state.keyId }),
        "UnsupportedOperationException",
      );
    },
  },
  "sign-with-imported-rsa-key": {
    operations: ["CreateKey", "GetParametersForImport", "ImportKeyMaterial", "Sign", "GetPublicKey"],
    needs: [],
    async run(kms) {
      const { KeyMetadata } = await kms.send(
        new CreateKeyCommand({ Origin: "EXTERNAL", KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }),
      );
      const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
      const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
      await importInto(kms, KeyMetadata.KeyId, "RSA_AES_KEY_WRAP_SHA_256", "RSA_4096", pkcs8);
      const message = Buffer.from("release 1.2.3");
      const { Signature } = await kms.send(
        new SignCommand({
          KeyId: KeyMetadata.KeyId,
          Message: message,
          MessageType: "RAW",
          SigningAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256",
        }),
      );
      const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }));
      const publicKey = crypto.createPublicKey({ key: Buffer.from(PublicKey), format: "der", type: "spki" });
      check(
        publicKey.export({ type: "spki", format: "der" }).equals(
          crypto.createPublicKey(privateKey).export({ type: "spki", format: "der" }),
        ),
        "GetPublicKey is not the imported key's public key",
      );
      check(crypto.verify("sha256", message, publicKey, Buffer.from(Signature)), "bad signature");
    },
  },
  "list-keys": {
    operations: ["ListKeys"],
    needs: ["create-key"],
    async run(kms) {
      const { Keys } = await kms.send(new ListKeysCommand({}));
      check(Keys.some((key) => key.KeyId === state.keyId), "ListKeys misses the key");
    },
  },
  "list-aliases": {
    operations: ["ListAliases"],
    needs: ["create-alias"],
    async run(kms) {
      const { Aliases } = await kms.send(new ListAliasesCommand({ KeyId: state.keyId }));
      check(
        Aliases.length === 1 && Aliases[0].AliasName === alias,
        `aliases ${JSON.stringify(Aliases)}`,
      );
    },
  },
  "update-key-description": {
    operations: ["UpdateKeyDescription", "DescribeKey"],
    needs: ["create-key"],
    async run(kms) {
      await kms.send(
        new UpdateKeyDescriptionCommand({ KeyId: state.keyId, Description: "rotated yearly" }),
      );
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: state.keyId }));
      check(KeyMetadata.Description === "rotated yearly", `Description ${KeyMetadata.Description}`);
    },
  },
  "disable-enable": {
    operations: ["DisableKey", "EnableKey", "DescribeKey"],
    needs: ["import"],
    async run(kms) {
      await kms.send(new DisableKeyCommand({ KeyId: state.keyId }));
      check((await keyState(kms, state.keyId)) === "Disabled", "not Disabled");
      await kms.send(new EnableKeyCommand({ KeyId: state.keyId }));
      check((await keyState(kms, state.keyId)) === "Enabled", "not Enabled again");
    },
  },
  "delete-and-reimport-material": {
    operations: ["DeleteImportedKeyMaterial", "GetParametersForImport", "ImportKeyMaterial", "DescribeKey"],
    needs: ["import"],
    async run(kms) {
      await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: state.keyId }));
      check((await keyState(kms, state.keyId)) === "PendingImport", "not PendingImport");
      // Only the same material goes back in.
      await refusedWith(
        kms,
        await importOf(kms, crypto.randomBytes(32)),
        "IncorrectKeyMaterialException",
      );
      await importInto(kms, state.keyId, "RSAES_OAEP_SHA_256", "RSA_2048", material);
      check((await keyState(kms, state.keyId)) === "Enabled", "not Enabled after reimport");
    },
  },
  "schedule-and-cancel-deletion": {
    operations: ["ScheduleKeyDeletion", "CancelKeyDeletion", "DescribeKey"],
    needs: ["create-key"],
    async run(kms) {
      const scheduled = await kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: state.keyId, PendingWindowInDays: 7 }),
      );
      check(scheduled.KeyState === "PendingDeletion", `KeyState ${scheduled.KeyState}`);
      await kms.send(new CancelKeyDeletionCommand({ KeyId: state.keyId }));
      check((await keyState(kms, state.keyId)) === "Disabled", "not Disabled after the cancel");
      await kms.send(new EnableKeyCommand({ KeyId: state.keyId }));
    },
  },
  "delete-alias": {
    operations: ["DeleteAlias"],
    needs: ["create-alias"],
    async run(kms) {
      await kms.send(new DeleteAliasCommand({ AliasName: alias }));
      await refusedWith(kms, new DescribeKeyCommand({ KeyId: alias }), "NotFoundException");
    },
  },
};

// An ImportKeyMaterial command for `other` material, with fresh parameters for the key.
async function importOf(kms, other) {
  const parameters = await kms.send(
    new GetParametersForImportCommand({
      KeyId: state.keyId,
      WrappingAlgorithm: "RSAES_OAEP_SHA_256",
      WrappingKeySpec: "RSA_2048",
    }),
  );
  return new ImportKeyMaterialCommand({
    KeyId: state.keyId,
    ImportToken: parameters.ImportToken,
    EncryptedKeyMaterial: oaepSha256(parameters.PublicKey, other),
    ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
  });
}

async function main() {
  if (process.argv.includes("--list")) {
    const listed = Object.fromEntries(
      Object.entries(STEPS).map(([name, step]) => [name, { operations: step.operations, needs: step.needs }]),
    );
    console.log(JSON.stringify(listed));
    return 0;
  }
  const endpoint = process.env.KMS_ENDPOINT;
  if (!endpoint) {
    console.error("KMS_ENDPOINT is not set (the URL python -m kmsimport_mock serve prints)");
    return 2;
  }
  const requested = process.env.CEREMONY_STEPS || "all";
  const names = requested === "all" ? Object.keys(STEPS) : requested.split(",").filter(Boolean);
  const unknown = names.filter((name) => !(name in STEPS));
  if (unknown.length) {
    console.error(`unknown step(s): ${unknown.join(", ")}; steps: ${Object.keys(STEPS).join(", ")}`);
    return 2;
  }
  const kms = new KMSClient({
    endpoint,
    region: process.env.AWS_REGION || "eu-west-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "fake-secret" },
    maxAttempts: 1,
  });
  const done = new Set();
  let failed = 0;
  // Steps run in the order of STEPS, whatever the order asked for.
  for (const name of Object.keys(STEPS).filter((step) => names.includes(step))) {
    const missing = STEPS[name].needs.filter((need) => !done.has(need));
    try {
      check(missing.length === 0, `needs step(s) ${missing.join(", ")} first`);
      await STEPS[name].run(kms);
      done.add(name);
      console.log(`ok ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${name}: ${error.name}: ${error.message}`);
    }
  }
  kms.destroy();
  return failed ? 1 : 0;
}

process.exitCode = await main();
