using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Baoxue.Data;

/// <summary>
/// A compiled query (<c>EF.CompileAsyncQuery</c>) kept per model: EF binds a compiled query to the model it first ran
/// against, and one process can hold two (the tests run SQLite and PostgreSQL hosts side by side). Used on paths every
/// request takes, where EF's per-call expression walk and cache look-up were a measured share of the CPU (decision 0037).
/// </summary>
internal sealed class PerModel<T>(Func<T> compile) where T : class
{
    private readonly ConditionalWeakTable<IModel, T> _byModel = [];

    public T For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
