using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FreeBind.Corpus;

/// <summary>
/// Remembers which entry ids were seen, storing a 64-bit hash per id instead of the id itself so
/// that memory stays near 16-24 bytes per entry however long the ids are.
/// </summary>
/// <remarks>
/// The hash is the first 8 bytes of the SHA-256 of the UTF-8 id. Two different ids share a hash
/// with probability about n²/2⁶⁵ for n ids (about 3e-4 for 10⁸ ids); the later id is then
/// reported as a duplicate and skipped.
/// </remarks>
internal sealed class IdSet
{
    private readonly HashSet<ulong> hashes = [];

    /// <summary>Adds an id; returns false when the id (or one with the same hash) was seen before.</summary>
    public bool Add(string id)
    {
        var byteCount = Encoding.UTF8.GetByteCount(id);
        var bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(id, bytes);

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return hashes.Add(BinaryPrimitives.ReadUInt64LittleEndian(digest));
    }
}
