namespace Registry.Grains;

/// <summary>How a grain stores state that callers are told about.</summary>
internal static class StoredStates
{
    /// <summary>
    /// Makes <paramref name="next"/> the grain's state and writes it. If the write fails, whether it landed is unknown
    /// (a connection can break after the commit): the grain must neither answer from a state storage may not hold nor
    /// write again with an etag that may be stale. So the previous state comes back, the activation goes when idle,
    /// and the next call reads what storage holds. The failure is rethrown.
    /// </summary>
    public static async Task StoreOrReloadAsync<TState>(this IPersistentState<TState> state, IGrainBase grain, TState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
