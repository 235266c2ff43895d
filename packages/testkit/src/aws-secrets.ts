// TEST DOUBLE of AWS Secrets Manager and SSM Parameter Store, for runtimevar's awssecretsmanager://
// and awsparamstore:// schemes: the real AWS SDK talks to it. It speaks their JSON 1.1 protocol (POST /,
// `X-Amz-Target: secretsmanager.GetSecretValue` or `AmazonSSM.GetParameter`, JSON body, errors as
// `{"__type": ..., "message": ...}` with HTTP 400), as the AWS API references document it. It checks
// that a request is SigV4-signed (the Authorization header's shape) but not the signature itself.
import { createServer, type IncomingMessage } from "node:http";
import { listenOnLoopback } from "./loopback";

export interface AwsSecretsStandIn {
  /** `http://127.0.0.1:<port>`: pass as `endpoint=` in the runtimevar URL. */
  url: string;
  /** Every call seen: the X-Amz-Target and the name asked for. */
  calls: { target: string; name: string }[];
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

export async function startAwsSecretsStandIn(store: {
  secrets?: Record<string, string>;
  parameters?: Record<string, string>;
}): Promise<AwsSecretsStandIn> {
  const calls: AwsSecretsStandIn["calls"] = [];
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(body));
    };
    const target = String(req.headers["x-amz-target"] ?? "");
    const body = JSON.parse((await readBody(req)) || "{}") as { SecretId?: string; Name?: string };
    if (
      req.method !== "POST" ||
      !/^AWS4-HMAC-SHA256 Credential=/.test(String(req.headers.authorization ?? ""))
    ) {
      send(400, { __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });
      return;
    }
    if (target === "secretsmanager.GetSecretValue") {
      const name = body.SecretId ?? "";
      calls.push({ target, name });
      const value = store.secrets?.[name];
      if (value === undefined) {
        send(400, {
          __type: "ResourceNotFoundException",
          message: "Secrets Manager can't find the specified secret.",
        });
        return;
      }
      send(200, {
        ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`,
        Name: name,
        SecretString: value,
        VersionId: "00000000-0000-0000-0000-000000000001",
        VersionStages: ["AWSCURRENT"],
        CreatedDate: 1_700_000_000,
      });
      return;
    }
    if (target === "AmazonSSM.GetParameter") {
      const name = body.Name ?? "";
      calls.push({ target, name });
      const value = store.parameters?.[name];
      if (value === undefined) {
        send(400, { __type: "ParameterNotFound", message: "" });
        return;
      }
      send(200, {
        Parameter: {
          Name: name,
          Type: "SecureString",
          Value: value,
          Version: 1,
          ARN: `arn:aws:ssm:us-east-1:000000000000:parameter${name.startsWith("/") ? "" : "/"}${name}`,
          DataType: "text",
        },
      });
      return;
    }
    send(400, { __type: "UnknownOperationException", message: `unsupported target ${target}` });
  });
  const loopback = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${loopback.port}`,
    calls,
    close: () => loopback.refuse(),
  };
}
