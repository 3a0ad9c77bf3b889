"""The seed stack as a benchmark baseline: FastAPI + uvicorn speaking the seed's WebSocket
protocol, fan-out in memory, no database, no auth beyond an HS256 check. It measures what
the original design's stack costs for the same load; nothing in fitchat depends on it.

`fitchat-bench ... --target seed` starts it itself (scripts/seed-venv makes the venv it
runs in). By hand (loopback only):
    scripts/seed-venv
    .build/seed-venv/bin/python -m uvicorn seed_server:app --app-dir bench --host 127.0.0.1 \
        --port 8001 --ws websockets --loop uvloop --log-level warning --no-access-log

Protocol:
  WS  /ws/chat?token=JWT      HS256, secret $SEED_JWT_SECRET (default below), claim "sub" = any user id
  client -> {"type":"join_room","data":{"room_id":"r1"}}      (any string names a room)
  server -> {"type":"room_joined","data":{"room_id":"r1"}}
  client -> {"type":"send_message","data":{"room_id":"r1","content":"..."}}
  server -> every connection joined to r1, the sender included:
            {"type":"new_message","data":{"id":N,"room_id":"r1","sender":"u1","content":"...","ts":...}}
  client -> {"type":"ping","data":{...}}  ->  {"type":"pong","data":{...}}
  HTTP POST /api/rooms/{room_id}/messages  (Authorization: Bearer JWT, body {"content": "..."}) -> 201 {"id": N}
  GET /health -> {"ok": true}
"""
import json
import os
import time
from collections import defaultdict

import jwt
from fastapi import FastAPI, Header, HTTPException, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse

SECRET = os.environ.get("SEED_JWT_SECRET", "bench-secret-0123456789abcdef0123456789abcdef")
app = FastAPI()
rooms: dict[str, set[WebSocket]] = defaultdict(set)
next_id = 0


def verify(token: str) -> str:
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    return str(claims["sub"])


async def broadcast(room_id: str, sender: str, content) -> int:
    global next_id
    next_id += 1
    frame = json.dumps({"type": "new_message", "data": {
        "id": next_id, "room_id": room_id, "sender": sender,
        "content": content, "ts": time.time()}})
    dead = []
    for ws in list(rooms.get(room_id, ())):
        try:
            await ws.send_text(frame)
        except Exception:
            dead.append(ws)
    for ws in dead:
        rooms[room_id].discard(ws)
    return next_id


@app.get("/health")
async def health():
    return {"ok": True}


@app.post("/api/rooms/{room_id}/messages", status_code=201)
async def post_message(room_id: str, body: dict, authorization: str = Header("")):
    try:
        user = verify(authorization.removeprefix("Bearer ").strip())
    except Exception:
        raise HTTPException(401, "bad token")
    mid = await broadcast(room_id, user, body.get("content"))
    return JSONResponse({"id": mid}, status_code=201)


@app.websocket("/ws/chat")
async def ws_chat(ws: WebSocket, token: str = ""):
    try:
        user = verify(token)
    except Exception:
        await ws.close(code=4401)
        return
    await ws.accept()
    joined: set[str] = set()
    try:
        while True:
            msg = json.loads(await ws.receive_text())
            t, d = msg.get("type"), msg.get("data") or {}
            if t == "join_room":
                rid = str(d["room_id"])
                rooms[rid].add(ws)
                joined.add(rid)
                await ws.send_text(json.dumps({"type": "room_joined", "data": {"room_id": rid}}))
            elif t == "send_message":
                rid = str(d["room_id"])
                if rid in joined:
                    await broadcast(rid, user, d.get("content"))
            elif t == "ping":
                await ws.send_text(json.dumps({"type": "pong", "data": d}))
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        for rid in joined:
            rooms[rid].discard(ws)
