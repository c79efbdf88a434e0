using Npgsql;

namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>Small helpers that keep the SQL call sites short (named parameters are <c>@name</c>).</summary>
internal static class PostgresCommandExtensions
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, NpgsqlTransaction tx, string sql) =>
        new(sql, connection, tx);

    public static NpgsqlCommand With(this NpgsqlCommand cmd, string name, object? value)
    {
        cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    /// <summary>A text parameter that may be null: typed, because the server cannot infer the type of a bare
    /// null in <c>IS NOT DISTINCT FROM</c>.</summary>
    public static NpgsqlCommand WithText(this NpgsqlCommand cmd, string name, string? value)
    {
        cmd.Parameters.Add(
            new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value }
        );
        return cmd;
    }

    /// <summary>A bigint parameter that may be null.</summary>
    public static NpgsqlCommand WithBigint(this NpgsqlCommand cmd, string name, long? value)
    {
        cmd.Parameters.Add(
            new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)value ?? DBNull.Value }
        );
        return cmd;
    }

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetNullableInt64(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
