#!/usr/bin/env python3
"""Builds Enhanced RTMP FLV test files from real encoder output in an MP4 file.

The ffmpeg on the build machine (5.1) cannot mux HEVC, AV1 or Opus into FLV, so this script
muxes them itself, written from the Enhanced RTMP v2 specification independently of the Java
code under test. It reads packet positions and sizes with ffprobe and copies the packets out
of the MP4 unchanged (HEVC samples are already 4-byte length-prefixed, AV1 samples are OBUs,
Opus samples are raw packets).

Usage: make_enhanced_flv.py in.mp4 out.flv
"""
import json
import struct
import subprocess
import sys

FOURCC = {"hevc": b"hvc1", "av1": b"av01", "opus": b"Opus"}


def probe(path):
    out = subprocess.check_output([
        "ffprobe", "-v", "error", "-show_streams", "-show_packets", "-show_data",
        "-of", "json", path])
    return json.loads(out)


def extradata(stream):
    hexdump = stream.get("extradata", "")
    data = bytearray()
    for line in hexdump.strip().splitlines():
        # "00000000: 01f4 000b ffe1 ...  ascii"
        hexpart = line.split(":", 1)[1][:40]
        data += bytes.fromhex(hexpart.replace(" ", ""))
    return bytes(data)


def tag(tag_type, ts_ms, body):
    ts = ts_ms & 0xFFFFFFFF
    header = struct.pack(">B", tag_type) + struct.pack(">I", len(body))[1:] \
        + struct.pack(">I", ts & 0xFFFFFF)[1:] + bytes([ts >> 24]) + b"\x00\x00\x00"
    return header + body + struct.pack(">I", 11 + len(body))


def video_body(fourcc, frame_type, packet_type, cts=None, data=b""):
    b = bytes([0x80 | (frame_type << 4) | packet_type]) + fourcc
    if cts is not None:
        b += struct.pack(">i", cts)[1:]  # SI24
    return b + data


def audio_body(fourcc, packet_type, data=b""):
    return bytes([0x90 | packet_type]) + fourcc + data


def main(src, dst):
    info = probe(src)
    with open(src, "rb") as f:
        mp4 = f.read()
    streams = {s["index"]: s for s in info["streams"]}
    out = bytearray(b"FLV\x01")
    has_audio = any(s["codec_type"] == "audio" for s in streams.values())
    has_video = any(s["codec_type"] == "video" for s in streams.values())
    out += bytes([(4 if has_audio else 0) | (1 if has_video else 0)]) + struct.pack(">I", 9)
    out += b"\x00\x00\x00\x00"  # PreviousTagSize0
    for s in streams.values():
        cc = FOURCC[s["codec_name"]]
        if s["codec_type"] == "video":
            out += tag(9, 0, video_body(cc, 1, 0, data=extradata(s)))  # SequenceStart
        else:
            out += tag(8, 0, audio_body(cc, 0, extradata(s)))  # SequenceStart
    packets = []
    for p in info["packets"]:
        dts = round(float(p["dts_time"]) * 1000)
        pts = round(float(p["pts_time"]) * 1000)
        data = mp4[int(p["pos"]):int(p["pos"]) + int(p["size"])]
        packets.append((dts, p["stream_index"], pts, "K" in p["flags"], data))
    packets.sort(key=lambda x: (x[0], x[1]))
    last_ts = 0
    for dts, index, pts, key, data in packets:
        s = streams[index]
        cc = FOURCC[s["codec_name"]]
        ts = max(dts, 0)
        last_ts = max(last_ts, ts)
        if s["codec_type"] == "video":
            frame_type = 1 if key else 2
            if cc == b"hvc1":
                cts = pts - ts
                body = video_body(cc, frame_type, 3, data=data) if cts == 0 \
                    else video_body(cc, frame_type, 1, cts, data)  # CodedFramesX / CodedFrames
            else:
                body = video_body(cc, frame_type, 1, data=data)  # no CTS field for av01
            out += tag(9, ts, body)
        else:
            out += tag(8, ts, audio_body(cc, 1, data))  # CodedFrames
    for s in streams.values():
        if s["codec_type"] == "video":
            out += tag(9, last_ts, video_body(FOURCC[s["codec_name"]], 1, 2))  # SequenceEnd
    with open(dst, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
