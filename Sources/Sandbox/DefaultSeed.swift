/// The seed a sandbox loads when given no `--seed`: the clients of the example workspace (`examples/`).
/// Contoso (Entra ID, rosters only) has no organization yet: the first plan creates it.
public enum DefaultSeed {
    public static let yaml = #"""
        # The sandbox's default seed: the live systems the example workspace (examples/) is planned against.
        # Format: docs/sandbox.md. Credentials are the sandbox defaults (SandboxDefaults), not secrets.
        thinkific:
          sites:
            - subdomain: stoic
              api_key: sandbox-thinkific-key
              courses:
                - { id: 101, name: Conscious Leadership Foundations, slug: conscious-leadership-foundations }
                - { id: 102, name: Leading Teams, slug: leading-teams }
                - { id: 103, name: The Resilient Self, slug: resilient-self }
                - { id: 104, name: Introduction to Stoicism, slug: intro-to-stoicism }
        workos:
          api_key: sk_test_sandbox
          organizations:
            - name: Procter & Gamble
              external_id: pg
              domains: [pg.com]
              connections:
                - { type: PingFederateSAML, name: P&G Ping Federate, state: active }
              directories:
                - name: P&G Ping Federate SCIM
                  type: generic scim v2.0
                  groups: [SG-Stoic-Learners, SG-Stoic-Managers, SG-Finance]
                  people:
                    - { email: ana.garcia@pg.com, first_name: Ana, last_name: Garcia, groups: [SG-Stoic-Learners] }
                    - { email: ben.okafor@pg.com, first_name: Ben, last_name: Okafor, groups: [SG-Stoic-Learners] }
                    - { email: chloe.martin@pg.com, first_name: Chloe, last_name: Martin, groups: [SG-Stoic-Learners] }
                    - { email: diego.silva@pg.com, first_name: Diego, last_name: Silva, groups: [SG-Stoic-Learners] }
                    - { email: emma.novak@pg.com, first_name: Emma, last_name: Novak, groups: [SG-Stoic-Learners] }
                    - { email: farid.haddad@pg.com, first_name: Farid, last_name: Haddad, groups: [SG-Stoic-Learners] }
                    - { email: grace.kim@pg.com, first_name: Grace, last_name: Kim, groups: [SG-Stoic-Learners] }
                    - { email: hiro.tanaka@pg.com, first_name: Hiro, last_name: Tanaka, groups: [SG-Stoic-Learners] }
                    - { email: ines.moreau@pg.com, first_name: Ines, last_name: Moreau, groups: [SG-Stoic-Learners] }
                    - { email: jonas.berg@pg.com, first_name: Jonas, last_name: Berg, groups: [SG-Stoic-Learners] }
                    - { email: kofi.mensah@pg.com, first_name: Kofi, last_name: Mensah, groups: [SG-Stoic-Learners] }
                    - { email: lena.fischer@pg.com, first_name: Lena, last_name: Fischer, groups: [SG-Stoic-Learners] }
                    - { email: mateo.rossi@pg.com, first_name: Mateo, last_name: Rossi, groups: [SG-Stoic-Learners] }
                    - { email: nadia.petrova@pg.com, first_name: Nadia, last_name: Petrova, groups: [SG-Stoic-Learners] }
                    - { email: omar.aziz@pg.com, first_name: Omar, last_name: Aziz, groups: [SG-Stoic-Learners] }
                    - { email: priya.sharma@pg.com, first_name: Priya, last_name: Sharma, groups: [SG-Stoic-Learners] }
                    - { email: quinn.walsh@pg.com, first_name: Quinn, last_name: Walsh, groups: [SG-Stoic-Learners] }
                    - { email: rosa.lopez@pg.com, first_name: Rosa, last_name: Lopez, groups: [SG-Stoic-Learners] }
                    - { email: sven.lund@pg.com, first_name: Sven, last_name: Lund, groups: [SG-Stoic-Learners] }
                    - { email: tara.reddy@pg.com, first_name: Tara, last_name: Reddy, groups: [SG-Stoic-Learners] }
                    - { email: umar.khan@pg.com, first_name: Umar, last_name: Khan, groups: [SG-Stoic-Learners] }
                    - { email: vera.costa@pg.com, first_name: Vera, last_name: Costa, groups: [SG-Stoic-Learners] }
                    - { email: wei.chen@pg.com, first_name: Wei, last_name: Chen, groups: [SG-Stoic-Learners] }
                    - { email: ximena.ruiz@pg.com, first_name: Ximena, last_name: Ruiz, groups: [SG-Stoic-Learners] }
                    - { email: yusuf.demir@pg.com, first_name: Yusuf, last_name: Demir, groups: [SG-Stoic-Learners] }
                    - { email: zoe.evans@pg.com, first_name: Zoe, last_name: Evans, groups: [SG-Stoic-Learners] }
                    - { email: aiko.sato@pg.com, first_name: Aiko, last_name: Sato, groups: [SG-Stoic-Learners], state: inactive }
                    - { email: bruno.santos@pg.com, first_name: Bruno, last_name: Santos, groups: [SG-Stoic-Learners], state: inactive }
                    - { email: carla.bianchi@pg.com, first_name: Carla, last_name: Bianchi, groups: [SG-Stoic-Managers] }
                    - { email: dmitri.ivanov@pg.com, first_name: Dmitri, last_name: Ivanov, groups: [SG-Stoic-Managers] }
                    - { email: elif.yilmaz@pg.com, first_name: Elif, last_name: Yilmaz, groups: [SG-Stoic-Managers] }
                    - { email: felix.weber@pg.com, first_name: Felix, last_name: Weber, groups: [SG-Stoic-Managers] }
                    - { email: gita.patel@pg.com, first_name: Gita, last_name: Patel, groups: [SG-Stoic-Managers] }
                    - { email: hugo.dubois@pg.com, first_name: Hugo, last_name: Dubois, groups: [SG-Stoic-Managers] }
                    - { email: ivy.nguyen@pg.com, first_name: Ivy, last_name: Nguyen, groups: [SG-Stoic-Learners, SG-Stoic-Managers] }
                    - { email: jamal.ali@pg.com, first_name: Jamal, last_name: Ali, groups: [SG-Stoic-Learners, SG-Stoic-Managers] }
                    - { email: kira.jensen@pg.com, first_name: Kira, last_name: Jensen, groups: [SG-Finance] }
                    - { email: luca.conti@pg.com, first_name: Luca, last_name: Conti, groups: [SG-Finance] }
                    - { email: maya.cohen@pg.com, first_name: Maya, last_name: Cohen, groups: [SG-Finance] }
                    - { email: nils.eriksson@pg.com, first_name: Nils, last_name: Eriksson, groups: [SG-Finance] }
            - name: Northwind Traders
              external_id: northwind
              domains: [northwind.com]
              connections:
                - { type: OktaSAML, name: Northwind Okta, state: active }
              directories:
                - name: Northwind Okta
                  type: okta scim v2.0
                  groups: [Stoic Participants, Stoic Leads, Sales EMEA]
                  people:
                    - { email: diego.haddad@northwind.com, first_name: Diego, last_name: Haddad, groups: [Stoic Participants] }
                    - { email: kofi.walsh@northwind.com, first_name: Kofi, last_name: Walsh, groups: [Stoic Participants] }
                    - { email: rosa.santos@northwind.com, first_name: Rosa, last_name: Santos, groups: [Stoic Participants] }
                    - { email: yusuf.cohen@northwind.com, first_name: Yusuf, last_name: Cohen, groups: [Stoic Participants] }
                    - { email: felix.berg@northwind.com, first_name: Felix, last_name: Berg, groups: [Stoic Participants] }
                    - { email: maya.khan@northwind.com, first_name: Maya, last_name: Khan, groups: [Stoic Participants] }
                    - { email: farid.weber@northwind.com, first_name: Farid, last_name: Weber, groups: [Stoic Participants] }
                    - { email: mateo.martin@northwind.com, first_name: Mateo, last_name: Martin, groups: [Stoic Participants] }
                    - { email: tara.petrova@northwind.com, first_name: Tara, last_name: Petrova, groups: [Stoic Participants] }
                    - { email: aiko.demir@northwind.com, first_name: Aiko, last_name: Demir, groups: [Stoic Participants] }
                    - { email: hugo.ali@northwind.com, first_name: Hugo, last_name: Ali, groups: [Stoic Participants] }
                    - { email: ana.kim@northwind.com, first_name: Ana, last_name: Kim, groups: [Stoic Participants] }
                    - { email: hiro.lopez@northwind.com, first_name: Hiro, last_name: Lopez, groups: [Stoic Participants] }
                    - { email: omar.bianchi@northwind.com, first_name: Omar, last_name: Bianchi, groups: [Stoic Participants] }
                    - { email: vera.eriksson@northwind.com, first_name: Vera, last_name: Eriksson, groups: [Stoic Participants] }
                    - { email: carla.mensah@northwind.com, first_name: Carla, last_name: Mensah, groups: [Stoic Leads] }
                    - { email: jamal.costa@northwind.com, first_name: Jamal, last_name: Costa, groups: [Stoic Leads] }
                    - { email: chloe.patel@northwind.com, first_name: Chloe, last_name: Patel, groups: [Stoic Leads] }
                    - { email: jonas.silva@northwind.com, first_name: Jonas, last_name: Silva, groups: [Sales EMEA] }
                    - { email: quinn.aziz@northwind.com, first_name: Quinn, last_name: Aziz, groups: [Sales EMEA] }
        scim:
          apps:
            - { name: insights, token: sandbox-insights-token }
            - { name: dashboard, token: sandbox-dashboard-token }
        """#
}
