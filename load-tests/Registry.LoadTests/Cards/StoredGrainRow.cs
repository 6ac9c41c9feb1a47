using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Registry.LoadTests.Cards;

/// <summary>
/// The identity columns of a row of Orleans' ADO.NET grain storage for a grain key and state name, computed as the
/// 10.4.2 provider does (<c>ORLEANS-ADONET-CONTRACT.md</c>, "Mapping a grain id to columns"), so that seeded rows are the
/// rows the silos read. The seeder checks them against a row a real grain wrote before it writes any.
/// </summary>
/// <param name="IdHash">Orleans' stable hash of the id bytes, reversed.</param>
/// <param name="N0">Always 0 here (no Guid keys).</param>
/// <param name="N1">The key as a number when it is at most 16 hex digits, else 0.</param>
/// <param name="TypeHash">Orleans' stable hash of the state name.</param>
/// <param name="Extension">The whole key when it is not a number, else null.</param>
internal sealed record StoredGrainRow(int IdHash, long N0, long N1, int TypeHash, string? Extension)
{
    /// <summary>The columns of <paramref name="key"/> stored under <paramref name="stateName"/>.</summary>
    public static StoredGrainRow For(string key, string stateName)
    {
        // A key of at most 16 hex digits is an integer key (hence the registry's fixed widths and prefixes).
        if (key.Length <= 16 && long.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number))
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, number);
            return new(Hash(Reversed(bytes)), 0, number, Hash(Encoding.UTF8.GetBytes(stateName)), null);
        }

        return new(Hash(Reversed(Encoding.UTF8.GetBytes(key))), 0, 0, Hash(Encoding.UTF8.GetBytes(stateName)), key);
    }

    private static byte[] Reversed(byte[] bytes)
    {
        Array.Reverse(bytes);
        return bytes;
    }

    // The provider's default hasher is Orleans' stable hash of the bytes (OrleansDefaultHasher), cast to a signed int.
    private static int Hash(byte[] data) => unchecked((int)StableHash.ComputeHash(data));
}
