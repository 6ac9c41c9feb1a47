using Registry.Contracts;

namespace Registry.Domain.Residents;

/// <summary>Collects the refused fields of one command, so that a caller can fix every one in one go.</summary>
public sealed class FieldErrors
{
    private readonly List<FieldError> _errors = [];

    /// <summary>Whether any field was refused.</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>Refuses <paramref name="field"/> with <paramref name="error"/> unless it is null.</summary>
    public void Add(string field, string? error)
    {
        if (error is not null)
        {
            _errors.Add(new FieldError(field, error));
        }
    }

    /// <summary>The value of a check, refusing <paramref name="field"/> when it failed.</summary>
    public T? Take<T>(string field, (T? Value, string? Error) check)
    {
        Add(field, check.Error);
        return check.Value;
    }

    /// <summary>The refusals in the order they were found.</summary>
    public FieldError[] ToArray() => [.. _errors];
}
