#!/usr/bin/python3
"""Build the small BPE fixtures and golden token ids for the text preprocessing tests.

Run with Debian's python3 and python3-regex (no other packages):
    /usr/bin/python3 tools/golden/text/make_text_golden.py

It trains tiny CLIP-style and GPT-2-style merge lists on a fixed corpus, writes them as
tokenizer files under tests/FreeBind.Core.Tests/Fixtures/Text/, and tokenizes a list of hard
cases with the published algorithms: CLIP's and GPT-2's pre-tokenizer patterns run by the
`regex` module, GPT-2's byte-to-unicode table, and ranked BPE merges. CLIP's ftfy step is
replaced by NFC normalization, as in the C# tokenizer. The output is deterministic.
"""
import html
import json
import os
import re
import unicodedata

import regex

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "tests", "FreeBind.Core.Tests", "Fixtures", "Text")

CLIP_PATTERN = regex.compile(
    r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
    regex.IGNORECASE)
GPT2_PATTERN = regex.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")

CORPUS = [
    "a photo of a cat", "a photo of a dog", "the cat is on the mat", "a dog running in the park",
    "two dogs playing with a ball", "photo photos photographer", "the the the", "running runner run",
    "don't it's they're we've i'm you'll he'd", "café naïve résumé", "東京 日本 日本語 東京タワー",
    "i love my dog 🐶 🐶", "price 12345 and 2024", "hello world hello", "The Photo Of The Cat",
    "Hello World", "It's a Dog", "καλημέρα κόσμε",
]

CASES = [
    "a photo of a cat",
    "A Photo OF a DOG!!",
    "  multiple   spaces\tand\nnewlines\r\n",
    "line one\n\nline two",
    "don't it's they're we've I'm you'll he'd",
    "DON'T IT'S",
    "café naïve résumé",
    "cafe\u0301 decomposed",
    "東京タワー 日本語のテキスト",
    "I ❤️ my 🐶 dog 👍🏽",
    "price: $12,345.67 or 3rd 2024",
    "hello, world... (test) [x] {y} <z>",
    "tom &amp; jerry &lt;3",
    "<|endoftext|> inside <|startoftext|>",
    "𝐀𝐁𝐂 𠀀𠀁 letters",
    "ΟΔΟΣ ΣΑΣ",
    "İstanbul",
    "x''s !'s 's",
    "trailing space ",
    "tab\tseparated\u3000ideographic space",
]


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()


def clip_clean(text):
    text = unicodedata.normalize("NFC", text)
    text = html.unescape(html.unescape(text))
    text = re.sub(r"\s+", " ", text.strip()).strip()
    return text.lower()


def to_symbols(piece, suffix):
    mapped = "".join(BYTE_ENCODER[b] for b in piece.encode("utf-8"))
    symbols = list(mapped)
    if suffix:
        symbols[-1] += suffix
    return symbols


def apply_bpe(symbols, ranks):
    symbols = list(symbols)
    while len(symbols) > 1:
        pairs = {(symbols[i], symbols[i + 1]) for i in range(len(symbols) - 1)}
        best = min(pairs, key=lambda p: ranks.get(p, float("inf")))
        if best not in ranks:
            break
        merged, i = [], 0
        while i < len(symbols):
            if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                merged.append(symbols[i] + symbols[i + 1])
                i += 2
            else:
                merged.append(symbols[i])
                i += 1
        symbols = merged
    return symbols


def train(pieces, suffix, count):
    words = {}
    for piece in pieces:
        key = tuple(to_symbols(piece, suffix))
        words[key] = words.get(key, 0) + 1
    merges = []
    for _ in range(count):
        stats = {}
        for word, freq in words.items():
            for pair in zip(word, word[1:]):
                stats[pair] = stats.get(pair, 0) + freq
        if not stats:
            break
        best = max(stats, key=lambda p: (stats[p], p))
        if stats[best] < 2:
            break
        merges.append(best)
        ranks = {best: 0}
        words = {tuple(apply_bpe(list(w), ranks)): f for w, f in words.items()}
    return merges


def clip_files():
    pieces = [p for line in CORPUS * 2 for p in CLIP_PATTERN.findall(clip_clean(line))]
    merges = train(pieces, "</w>", 200)
    byte_chars = list(BYTE_ENCODER.values())
    tokens = byte_chars + [c + "</w>" for c in byte_chars] + ["".join(m) for m in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    vocab = {t: i for i, t in enumerate(tokens)}
    return vocab, merges


def clip_encode(text, vocab, ranks):
    ids = []
    for piece in CLIP_PATTERN.findall(clip_clean(text)):
        if piece in ("<|startoftext|>", "<|endoftext|>"):
            ids.append(vocab[piece])
            continue
        ids.extend(vocab[s] for s in apply_bpe(to_symbols(piece, "</w>"), ranks))
    return [vocab["<|startoftext|>"]] + ids + [vocab["<|endoftext|>"]]


def roberta_files():
    pieces = [p for line in CORPUS * 2 for p in GPT2_PATTERN.findall(line)]
    merges = train(pieces, None, 200)
    tokens = ["<s>", "<pad>", "</s>", "<unk>"] + list(BYTE_ENCODER.values()) + ["".join(m) for m in merges]
    tokens.append("<mask>")
    vocab = {}
    for t in tokens:
        vocab.setdefault(t, len(vocab))
    return vocab, merges


def roberta_encode(text, vocab, ranks):
    ids = []
    for piece in GPT2_PATTERN.findall(text):
        ids.extend(vocab.get(s, vocab["<unk>"]) for s in apply_bpe(to_symbols(piece, None), ranks))
    return [vocab["<s>"]] + ids + [vocab["</s>"]]


def write_merges(path, header, merges):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(header + "\n")
        for left, right in merges:
            f.write(f"{left} {right}\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    clip_vocab, clip_merges = clip_files()
    write_merges(os.path.join(OUT, "clip_merges.txt"), "#version: 0.2", clip_merges)
    # The original OpenAI list has this header line and no vocabulary file.
    write_merges(os.path.join(OUT, "clip_bpe_simple_vocab.txt"), '"bpe_simple_vocab_16e6.txt#version: 0.2', clip_merges)
    with open(os.path.join(OUT, "clip_vocab.json"), "w", encoding="utf-8") as f:
        json.dump(clip_vocab, f, ensure_ascii=False, indent=0)

    roberta_vocab, roberta_merges = roberta_files()
    write_merges(os.path.join(OUT, "roberta_merges.txt"), "#version: 0.2", roberta_merges)
    with open(os.path.join(OUT, "roberta_vocab.json"), "w", encoding="utf-8") as f:
        json.dump(roberta_vocab, f, ensure_ascii=False, indent=0)

    clip_ranks = {m: i for i, m in enumerate(clip_merges)}
    roberta_ranks = {m: i for i, m in enumerate(roberta_merges)}
    golden = {
        "clip": [{"text": t, "ids": clip_encode(t, clip_vocab, clip_ranks)} for t in CASES],
        "roberta": [{"text": t, "ids": roberta_encode(t, roberta_vocab, roberta_ranks)} for t in CASES],
    }
    with open(os.path.join(OUT, "golden_ids.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
    print(f"clip: {len(clip_merges)} merges, {len(clip_vocab)} tokens; "
          f"roberta: {len(roberta_merges)} merges, {len(roberta_vocab)} tokens; {len(CASES)} cases")


if __name__ == "__main__":
    main()
