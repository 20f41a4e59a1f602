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

-- CRM: the Demo Team's settings and leads whose e-mails appear in the Fathom sandbox's demo meetings
-- (Tom Baker has none). Owner: the demo admin.
insert into public.team_settings (team_id, create_leads_from_unknown_attendees)
values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', false)
on conflict (team_id) do nothing;

insert into public.leads (id, team_id, name, company, stage, owner_id, source, created_by)
values
  ('c0000000-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Jane Doe', 'Acme Corp',
   'qualified', '11111111-1111-4111-8111-111111111111', 'manual', '11111111-1111-4111-8111-111111111111'),
  ('c0000000-0000-4000-8000-000000000002', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Raj Patel', 'Globex',
   'contacted', '11111111-1111-4111-8111-111111111111', 'manual', '11111111-1111-4111-8111-111111111111'),
  ('c0000000-0000-4000-8000-000000000003', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Li Wei', 'Initech',
   'new', '11111111-1111-4111-8111-111111111111', 'manual', '11111111-1111-4111-8111-111111111111'),
  ('c0000000-0000-4000-8000-000000000004', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Maria Garcia', 'Umbrella',
   'proposal', '11111111-1111-4111-8111-111111111111', 'manual', '11111111-1111-4111-8111-111111111111'),
  ('c0000000-0000-4000-8000-000000000005', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Tom Baker', 'Hooli',
   'new', '11111111-1111-4111-8111-111111111111', 'manual', '11111111-1111-4111-8111-111111111111')
on conflict (id) do nothing;

-- their notes (the lead timeline), written by the demo admin
insert into public.lead_notes (id, team_id, lead_id, body, author_id, source)
values
  ('c4000000-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
   'c0000000-0000-4000-8000-000000000001', 'Champion at Acme; budget approved for Q1.',
   '11111111-1111-4111-8111-111111111111', 'person'),
  ('c4000000-0000-4000-8000-000000000004', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
   'c0000000-0000-4000-8000-000000000004', 'Proposal sent; waiting on legal.',
   '11111111-1111-4111-8111-111111111111', 'person')
on conflict (id) do nothing;

insert into public.lead_emails (lead_id, team_id, email)
values
  ('c0000000-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'jane.doe@acme.example'),
  ('c0000000-0000-4000-8000-000000000002', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'raj.patel@globex.example'),
  ('c0000000-0000-4000-8000-000000000003', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'li.wei@initech.example'),
  ('c0000000-0000-4000-8000-000000000004', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'maria.garcia@umbrella.example'),
  ('c0000000-0000-4000-8000-000000000005', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'tom.baker@hooli.example')
on conflict do nothing;
