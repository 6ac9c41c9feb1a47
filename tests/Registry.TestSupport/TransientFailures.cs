using System.Data.Common;
using Orleans.Serialization;

namespace Registry.TestSupport;

/// <summary>
/// The failures a caller sees while a silo dies or PostgreSQL restarts, and repeats its request after with the same
/// idempotency key. Fault tests tolerate exactly these; anything else is a defect and fails the test.
/// </summary>
public static class TransientFailures
{
    /// <summary>
    /// True for a call without an answer (<see cref="TimeoutException"/>), a silo or gateway that went away or refused
    /// the message (<see cref="OrleansException"/>: <see cref="SiloUnavailableException"/>,
    /// <see cref="OrleansMessageRejectionException"/>, <c>ConnectionFailedException</c>), and PostgreSQL refusing or
    /// dropping a connection (<see cref="DbException"/>, which storage and the read model let through; in a silo it
    /// reaches a caller as <see cref="CodecNotFoundException"/>, because Orleans cannot serialise Npgsql's exceptions).
    /// </summary>
    public static bool Include(Exception exception) =>
        exception is TimeoutException or OrleansException or DbException or CodecNotFoundException;
}
