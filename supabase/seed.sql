-- Demo data for local development (idempotent: a second start keeps what is there).
-- Every demo account's password is "demo-password" (bcrypt, as Supabase Auth stores it).

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                        raw_app_meta_data, raw_user_meta_data)
values
  ('00000000-0000-0000-0000-000000000000', '11111111-1111-4111-8111-111111111111', 'authenticated', 'authenticated',
   'demo-admin@example.com', '$2a$10$V6Z/1lGRvw0hIMimUCRtSuOKiL9Zfj9m.BKwaUlOZtmL.lnlSUVzS', now(),
   '{"provider":"email","providers":["email"]}', '{"full_name":"Ada Admin"}'),
  ('00000000-0000-0000-0000-000000000000', '22222222-2222-4222-8222-222222222222', 'authenticated', 'authenticated',
   'demo-member@example.com', '$2a$10$V6Z/1lGRvw0hIMimUCRtSuOKiL9Zfj9m.BKwaUlOZtmL.lnlSUVzS', now(),
   '{"provider":"email","providers":["email"]}', '{"full_name":"Max Member"}'),
  ('00000000-0000-0000-0000-000000000000', '33333333-3333-4333-8333-333333333333', 'authenticated', 'authenticated',
   'demo-outsider@example.com', '$2a$10$V6Z/1lGRvw0hIMimUCRtSuOKiL9Zfj9m.BKwaUlOZtmL.lnlSUVzS', now(),
   '{"provider":"email","providers":["email"]}', '{"full_name":"Olga Outsider"}')
on conflict (id) do nothing;

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at)
select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true), 'email', now()
from auth.users u
where u.id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222',
               '33333333-3333-4333-8333-333333333333')
on conflict (provider_id, provider) do nothing;

insert into public.teams (id, name)
values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Demo Team')
on conflict (id) do nothing;

insert into public.team_members (team_id, user_id, role)
values
  ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '11111111-1111-4111-8111-111111111111', 'owner'),
  ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '22222222-2222-4222-8222-222222222222', 'member')
on conflict (team_id, user_id) do nothing;
