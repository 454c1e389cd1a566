// A box bridge in JavaScript, as a vendor might write one: node client.mjs <server url> <box key>
// Connects with the key as access_token (WebSockets, no negotiation), says Hello, answers every Unlock with
// "Opened" and a door event, and prints one JSON line per step for the test that drives it.
import * as signalR from "@microsoft/signalr";
import { randomUUID } from "node:crypto";

const [serverUrl, boxKey] = process.argv.slice(2);
const print = (event, data = {}) => console.log(JSON.stringify({ event, ...data }));

const connection = new signalR.HubConnectionBuilder()
  .withUrl(`${serverUrl.replace(/\/$/, "")}/hubs/box`, {
    accessTokenFactory: () => boxKey,
    transport: signalR.HttpTransportType.WebSockets,
    skipNegotiation: true,
  })
  .configureLogging(signalR.LogLevel.Warning)
  .build();

connection.on("Unlock", async (command) => {
  print("unlock", { command });
  await connection.invoke("ReportDoor", { eventId: randomUUID(), compartment: command.compartment, state: "Open", at: new Date().toISOString() });
  await connection.invoke("ReportCommandResult", { commandId: command.commandId, outcome: "Opened", detail: null });
  print("reported", { commandId: command.commandId });
});

try {
  await connection.start();
  const hello = await connection.invoke("Hello", { softwareVersion: "js-client-1", doors: [] });
  await connection.invoke("ReportHeartbeat", { at: new Date().toISOString(), returnBinFillPercent: 12, faults: [] });
  print("ready", { serverTime: hello.serverTime, pending: hello.pendingCommands.length });
} catch (error) {
  print("error", { message: String(error) });
  process.exit(1);
}
