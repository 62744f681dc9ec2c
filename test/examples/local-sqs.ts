import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';

interface Stored {
  id: string;
  body: string;
  receipt?: string;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * A one-queue SQS on 127.0.0.1 speaking the JSON protocol (awsJson1_0) for the three calls the
 * SQS example makes: SendMessageBatch (a `.fifo` queue dedupes by MessageDeduplicationId),
 * ReceiveMessage (a received message stays invisible until deleted) and DeleteMessageBatch.
 */
export async function localSqs(queueName: string) {
  const messages: Stored[] = [];
  const dedupe = new Set<string>();
  const fifo = queueName.endsWith('.fifo');
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (target === 'AmazonSQS.SendMessageBatch') {
        const entries = input.Entries as { Id: string; MessageBody: string; MessageDeduplicationId?: string }[];
        const Successful = entries.map((e) => {
          const id = randomUUID();
          if (!fifo || !dedupe.has(e.MessageDeduplicationId as string)) messages.push({ id, body: e.MessageBody });
          if (fifo) dedupe.add(e.MessageDeduplicationId as string);
          return { Id: e.Id, MessageId: id, MD5OfMessageBody: md5(e.MessageBody) };
        });
        res.end(JSON.stringify({ Successful, Failed: [] }));
      } else if (target === 'AmazonSQS.ReceiveMessage') {
        const max = Number(input.MaxNumberOfMessages ?? 1);
        let visible = messages.filter((m) => m.receipt === undefined);
        if (visible.length === 0) {
          await new Promise((r) => setTimeout(r, Math.min(Number(input.WaitTimeSeconds ?? 0) * 1000, 100)));
          visible = messages.filter((m) => m.receipt === undefined);
        }
        const batch = visible.slice(0, max);
        for (const m of batch) m.receipt = randomUUID();
        res.end(JSON.stringify({ Messages: batch.map((m) => ({ MessageId: m.id, ReceiptHandle: m.receipt, MD5OfBody: md5(m.body), Body: m.body })) }));
      } else if (target === 'AmazonSQS.DeleteMessageBatch') {
        const entries = input.Entries as { Id: string; ReceiptHandle: string }[];
        for (const e of entries) {
          const i = messages.findIndex((m) => m.receipt === e.ReceiptHandle);
          if (i >= 0) messages.splice(i, 1);
        }
        res.end(JSON.stringify({ Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] }));
      } else {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: target }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' }, maxAttempts: 1 });
  return {
    client,
    queueUrl: `${endpoint}/000000000000/${queueName}`,
    /** Messages still in the queue (received or not). */
    remaining: () => messages.length,
    close: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
