import { PGlite } from '@electric-sql/pglite'
const db = await PGlite.create()
const r = async (q) => { try { const x = await db.exec(q); console.log('OK', q.slice(0,50), JSON.stringify(x.map(y=>y.rows))) } catch (e) { console.log('ERR', q.slice(0,60), e.message); await db.exec('rollback').catch(()=>{}) } }
await r(`create role anon nologin noinherit; create role authenticated nologin noinherit; create role service_role nologin noinherit bypassrls;`)
await r(`create table t(id int, owner text, secret text); alter table t enable row level security; create policy p on t for select to authenticated using (owner = nullif(current_setting('request.jwt.claims', true),'')::json->>'sub'); grant select (id, owner) on t to authenticated; grant all on t to service_role; insert into t values (1,'a','s1'),(2,'b','s2');`)
await r(`begin; set local role authenticated; select set_config('request.jwt.claims','{"sub":"a"}',true); select id, owner from t; commit;`)
await r(`begin; set local role authenticated; select secret from t; commit;`)
await r(`begin; set local role service_role; select * from t; commit;`)
await r(`select current_user, version()`)
await r(`create extension if not exists pgcrypto`)
await r(`select gen_random_uuid()`)
await r(`create view v with (security_invoker=true) as select id, owner from t; grant select on v to authenticated; begin; set local role authenticated; select set_config('request.jwt.claims','{"sub":"b"}',true); select * from v; commit;`)
await r(`select pg_advisory_xact_lock(42)`)
await r(`select current_user`)
