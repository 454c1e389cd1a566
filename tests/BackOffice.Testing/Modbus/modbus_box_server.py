#!/usr/bin/python3
"""A small box's I/O modules as a real Modbus server (Debian's python3-pymodbus 3.0), for the bridge's driver tests.

Usage: modbus_box_server.py tcp PORT | rtu DEVICE   [--units N] [--points N]

Every unit (1..N) has N coils (lock releases), N discrete inputs (door contacts, all 1 = closed at the start),
4 input registers (register 0: the return bin's fill level) and 4 holding registers. Addresses are zero-based as on
the wire (zero_mode), so a box map's numbers are the datastore's indexes.

The test drives it over stdin, one command a line, one answer a line on stdout:
  di UNIT ADDR 0|1     set a door input                      -> ok
  ir UNIT ADDR VALUE   set an input register                 -> ok
  coil UNIT ADDR       a coil's current value                -> 0|1
  writes UNIT          every coil write so far, in order     -> ADDR=V ADDR=V ... (or -)
  bad N                corrupt the next N responses          -> ok
  ping                                                       -> ok
It prints "ready" once it serves, and exits when stdin closes, so a crashed test leaves no server behind.
"""
import asyncio
import argparse
import logging
import os
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.framer.socket_framer import ModbusSocketFramer
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer

logging.basicConfig(level=logging.CRITICAL)


class RecordingBlock(ModbusSequentialDataBlock):
    """Coils that remember every write, so a pulse (on, then off) can be seen after it ended."""

    def __init__(self, address, values):
        super().__init__(address, values)
        self.writes = []

    def setValues(self, address, values):  # pylint: disable=invalid-name
        values = values if isinstance(values, list) else [values]
        for offset, value in enumerate(values):
            self.writes.append((address + offset, 1 if value else 0))
        super().setValues(address, values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("transport", choices=["tcp", "rtu"])
    parser.add_argument("target")
    parser.add_argument("--units", type=int, default=2)
    parser.add_argument("--points", type=int, default=8)
    args = parser.parse_args()

    coils = {}
    slaves = {}
    for unit in range(1, args.units + 1):
        coils[unit] = RecordingBlock(0, [0] * args.points)
        slaves[unit] = ModbusSlaveContext(
            co=coils[unit],
            di=ModbusSequentialDataBlock(0, [1] * args.points),
            ir=ModbusSequentialDataBlock(0, [0] * 4),
            hr=ModbusSequentialDataBlock(0, [0] * 4),
            zero_mode=True)
    context = ModbusServerContext(slaves=slaves, single=False)
    corrupt = {"left": 0}
    lock = threading.Lock()

    def manipulate(response):
        with lock:
            if corrupt["left"] <= 0:
                return response, False
            corrupt["left"] -= 1
        framer = ModbusSocketFramer(None) if args.transport == "tcp" else ModbusRtuFramer(None)
        packet = bytearray(framer.buildPacket(response))
        if args.transport == "tcp":
            packet[0] ^= 0x55  # the transaction id no longer matches the request's
        else:
            packet[-1] ^= 0xFF  # the CRC no longer matches
        return bytes(packet), True

    def control():
        for line in sys.stdin:
            parts = line.split()
            try:
                answer = command(parts)
            except Exception as error:  # pylint: disable=broad-except
                answer = f"error {error}"
            print(answer, flush=True)
        os._exit(0)  # stdin closed: the test is gone

    def command(parts):
        name = parts[0]
        if name == "di":
            slaves[int(parts[1])].setValues(2, int(parts[2]), [int(parts[3])])
            return "ok"
        if name == "ir":
            slaves[int(parts[1])].setValues(4, int(parts[2]), [int(parts[3])])
            return "ok"
        if name == "coil":
            return str(int(bool(coils[int(parts[1])].getValues(int(parts[2]), 1)[0])))
        if name == "writes":
            writes = list(coils[int(parts[1])].writes)
            return " ".join(f"{a}={v}" for a, v in writes) or "-"
        if name == "bad":
            with lock:
                corrupt["left"] = int(parts[1])
            return "ok"
        if name == "ping":
            return "ok"
        return "error unknown command"

    async def serve():
        if args.transport == "tcp":
            server = await StartAsyncTcpServer(
                context=context, address=("127.0.0.1", int(args.target)), framer=ModbusSocketFramer,
                allow_reuse_address=True, defer_start=True, response_manipulator=manipulate)
            task = asyncio.ensure_future(server.serve_forever())
            await server.serving
        else:
            server = await StartAsyncSerialServer(
                context=context, port=args.target, framer=ModbusRtuFramer, baudrate=19200,
                defer_start=True, response_manipulator=manipulate)
            await server.start()
            task = asyncio.ensure_future(server.serve_forever())
        threading.Thread(target=control, daemon=True).start()
        print("ready", flush=True)
        await task

    asyncio.run(serve())


if __name__ == "__main__":
    main()
