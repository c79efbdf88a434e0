using System.Data;
using System.Data.Common;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// Parameters of the stores whose queries run on both SQLite and PostgreSQL. Typed, because PostgreSQL infers
/// nothing from a bare null (<c>IS NOT DISTINCT FROM @x</c>) and compares integers, booleans and text strictly,
/// while SQLite takes the same types as it always did (a bool binds as 0/1).
/// </summary>
internal static class DbCommandParameters
{
    public static void AddTyped(this DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
