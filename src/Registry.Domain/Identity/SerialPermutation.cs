using System.Buffers.Binary;
using System.Security.Cryptography;
using Registry.Contracts.Identity;

namespace Registry.Domain.Identity;

/// <summary>
/// A keyed permutation of the serials 000000–999999: a balanced Feistel network on the two base-1000 halves
/// of the serial, with HMAC-SHA256 under a secret key as round function. Any Feistel network is a bijection,
/// so walking indexes 0, 1, 2, … yields every serial exactly once, in an order that cannot be predicted
/// without the key: unique by construction, with no bitmap and no retry on collision.
/// </summary>
public sealed class SerialPermutation
{
    /// <summary>Key length in bytes.</summary>
    public const int KeyLength = 32;

    private const int Half = 1000;

    // Four rounds already make a strong pseudo-random permutation (Luby–Rackoff); more mix a domain this small better.
    private const int Rounds = 8;

    private readonly byte[] _key;

    /// <summary>Creates the permutation for <paramref name="key"/>.</summary>
    public SerialPermutation(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"A permutation key has {KeyLength} bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>A fresh random key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyLength);

    /// <summary>The serial at position <paramref name="index"/> of the permutation.</summary>
    public int Apply(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PersonalIdNumber.SerialsPerPrefix);

        int left = index / Half, right = index % Half;
        for (var round = 0; round < Rounds; round++)
        {
            (left, right) = (right, (left + RoundValue(round, right)) % Half);
        }

        return left * Half + right;
    }

    private int RoundValue(int round, int half)
    {
        Span<byte> input = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(input, round);
        BinaryPrimitives.WriteInt32LittleEndian(input[4..], half);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, input, mac);
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(mac) % Half);
    }
}
