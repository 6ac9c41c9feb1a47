namespace Registry.LoadTests.Running;

/// <summary>The HTTP client was asked to connect somewhere that is not this machine's loopback; nothing was sent.</summary>
internal sealed class NonLoopbackEndpointException : Exception
{
    public NonLoopbackEndpointException()
    {
    }

    public NonLoopbackEndpointException(string message)
        : base(message)
    {
    }

    public NonLoopbackEndpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
