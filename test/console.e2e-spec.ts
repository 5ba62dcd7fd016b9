import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { eventually, TestSystem } from '@nrm/testing';
import { coordinatorOf, submitReferral } from './referral-journey';

const SCREENSHOTS = path.join(__dirname, 'screenshots');

/** Debian's Chromium: browsers are never downloaded on the project's machines. */
const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

describe('the web console, through a browser', () => {
  const system = new TestSystem();
  let browser: Browser;
  let consoleUrl: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await system.start(['intake', 'routing', 'province', 'notifications', 'oversight']);
    consoleUrl = (await system.startConsole()).url;
    browser = await chromium.launch(CHROMIUM);
  });

  afterAll(async () => {
    await browser?.close();
    await system.stop();
  });

  /** A fresh browser (its own cookies) signed in through the identity provider's page, on a phone-sized screen or not. */
  async function signedIn(accountId: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'th-TH' });
    const page = await context.newPage();
    await page.goto(consoleUrl);
    await page.getByRole('link', { name: 'เข้าสู่ระบบ' }).click();
    await page.getByRole('button', { name: accountId, exact: true }).click();
    await page.waitForURL((url) => url.origin === consoleUrl && !url.pathname.startsWith('/sign-in'));
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  it('takes a referral from a case worker in Thai to the NGO and the coordinator, and the supervisor sees it', async () => {
    const supervisor = await signedIn('supervisor-national-1');
    expect(new URL(supervisor.url()).pathname).toBe('/oversight');
    const casesBefore = Number(await supervisor.locator('#cases-total').textContent());

    const caseWorker = await signedIn('case-worker-police-tak', { width: 390, height: 844 });
    expect(new URL(caseWorker.url()).pathname).toBe('/referrals');
    await expect(caseWorker.locator('html').getAttribute('lang')).resolves.toBe('th');
    await caseWorker.getByRole('link', { name: 'ส่งต่อรายใหม่' }).first().click();

    // An incomplete form: the API's Thai messages beside the fields, and what was typed kept.
    await caseWorker.getByLabel('เจ้าหน้าที่ผู้ส่งต่อ *').fill('officer-1042');
    await caseWorker.getByRole('button', { name: 'ส่งต่อ', exact: true }).click();
    await expect(caseWorker.locator('#error-summary').textContent()).resolves.toContain('ต้องระบุ');
    await expect(caseWorker.locator('#field-referrer-organisation-error').textContent()).resolves.toContain(
      'หน่วยงานผู้ส่งต่อ',
    );
    await expect(caseWorker.getByLabel('เจ้าหน้าที่ผู้ส่งต่อ *').inputValue()).resolves.toBe('officer-1042');
    await screenshot(caseWorker, 'case-worker-form-errors');

    await caseWorker.getByLabel('หน่วยงานผู้ส่งต่อ *').fill('tak-immigration-police');
    await caseWorker.getByLabel('ช่องทางการติดต่อ *').selectOption('phone');
    await caseWorker.getByLabel('ช่องทางที่ทราบเรื่อง *').selectOption('border-screening');
    await caseWorker.getByLabel('จังหวัดที่พบตัว *').selectOption('TH-63');
    await caseWorker.getByLabel('วันที่พบตัว *').fill('2026-11-20');
    await caseWorker.getByLabel('อายุ', { exact: true }).fill('27');
    await caseWorker.getByLabel('เพศ *').selectOption('female');
    await caseWorker.getByLabel('สัญชาติ *').fill('IDN');
    await caseWorker.getByLabel('ภาษาที่ใช้').fill('ind');
    await caseWorker.locator('input[name="exploitationTypes"][value="online-scam-compound"]').check();
    await caseWorker.getByLabel('ระดับอันตราย *').selectOption('high');
    await caseWorker.getByLabel('ความจำเป็นด้านการรักษาพยาบาล *').selectOption('non-urgent');
    await caseWorker.getByLabel('ความต้องการความช่วยเหลือทางกฎหมาย').selectOption('true');
    await caseWorker.getByLabel('ความยินยอมให้ส่งต่อข้อมูลแก่หน่วยงานผู้ให้บริการ *').selectOption('true');
    await caseWorker.getByLabel('ความยินยอมให้ติดต่อกลับในภายหลัง *').selectOption('true');
    await caseWorker.getByLabel('ผู้บันทึกความยินยอม *').fill('officer-1042');
    await caseWorker.getByLabel('วันเวลาที่บันทึกความยินยอม *').fill('2026-11-20T14:30');
    await caseWorker.getByLabel('ชื่อ-นามสกุล').fill('Budi Santoso');

    // Saved as a draft, continued later with everything as it was, then submitted.
    await caseWorker.getByRole('button', { name: 'บันทึกฉบับร่าง' }).click();
    await expect(caseWorker.getByRole('status').textContent()).resolves.toContain('บันทึกฉบับร่างแล้ว');
    await caseWorker.getByRole('link', { name: 'ทำต่อ' }).click();
    await expect(caseWorker.getByLabel('วันเวลาที่บันทึกความยินยอม *').inputValue()).resolves.toBe(
      '2026-11-20T14:30',
    );
    await expect(
      caseWorker.locator('input[name="exploitationTypes"][value="online-scam-compound"]').isChecked(),
    ).resolves.toBe(true);
    await caseWorker.getByRole('button', { name: 'ส่งต่อ', exact: true }).click();

    await caseWorker.waitForURL(/\/referrals\/[0-9a-f-]{36}\?notice=submitted$/);
    const caseId = new URL(caseWorker.url()).pathname.split('/')[2];
    await expect(caseWorker.getByRole('status').textContent()).resolves.toContain('ส่งต่อเรียบร้อยแล้ว');
    await eventually(async () => {
      await caseWorker.reload();
      return (await caseWorker.locator('#referral-status').textContent()) === 'แจ้งจังหวัดแล้ว'
        ? true
        : undefined;
    });
    await caseWorker.goto(`${consoleUrl}/referrals`);
    await screenshot(caseWorker, 'case-worker-my-referrals');
    // Every page names provinces in the reader's language, never by their codes alone.
    const myReferrals = await caseWorker.locator('main table').first().textContent();
    expect(myReferrals).toContain('ตาก');
    expect(myReferrals).not.toContain('TH-63');

    // The Tak coordinator accepts the case from the queue: the planned offers go out.
    const coordinator = await signedIn('coordinator-tak-1');
    expect(new URL(coordinator.url()).pathname).toBe('/cases');
    await screenshot(coordinator, 'coordinator-queue');
    await coordinator.locator('#case-queue').getByRole('link').first().click();
    expect(coordinator.url()).toBe(`${consoleUrl}/cases/${caseId}`);
    await expect(coordinator.locator('main dl').first().textContent()).resolves.toContain('ตาก');
    await coordinator.getByLabel('ขั้นตอนถัดไป').selectOption('accept');
    await coordinator.getByRole('button', { name: 'บันทึกขั้นตอน' }).click();
    await expect(coordinator.locator('#case-state').textContent()).resolves.toBe('รับเรื่องแล้ว');

    // The Mae Sot NGO accepts its legal-aid offer before its deadline.
    const ngo = await signedIn('member-ngo-mae-sot');
    expect(new URL(ngo.url()).pathname).toBe('/offers');
    await expect(ngo.locator('#offers-waiting [data-due]').first().textContent()).resolves.toMatch(
      /ชม\.|นาที/,
    );
    await screenshot(ngo, 'organisation-offers');
    await expect(ngo.locator('#offers-waiting').textContent()).resolves.toContain('จังหวัด ตาก');
    await ngo
      .getByRole('button', { name: /^ตอบรับ NRM-/ })
      .first()
      .click();
    await expect(ngo.locator('#services-active').textContent()).resolves.toContain('legal-aid');

    // The coordinator moves the case to identification; the timeline shows every step.
    await coordinator.reload();
    await coordinator.getByLabel('ขั้นตอนถัดไป').selectOption('start_identification');
    await coordinator.getByRole('button', { name: 'บันทึกขั้นตอน' }).click();
    await expect(coordinator.locator('#case-state').textContent()).resolves.toBe('คัดแยกผู้เสียหาย');
    await expect(coordinator.locator('#case-timeline').textContent()).resolves.toContain('legal-aid');
    await screenshot(coordinator, 'coordinator-case');

    // The supervisor's national picture counts the case where it now stands, and drills down to its
    // timeline, which names no one.
    await eventually(async () => {
      await supervisor.reload();
      const total = Number(await supervisor.locator('#cases-total').textContent());
      const table = await supervisor.locator('#province-state-table').textContent();
      return total === casesBefore + 1 && table?.includes('คัดแยกผู้เสียหาย') ? true : undefined;
    });
    await screenshot(supervisor, 'supervisor-dashboard');
    // Provinces by their Thai names, from routing's directory: Tak (TH-63) is ตาก.
    await supervisor.locator('#province-state-table').getByRole('link', { name: 'ตาก', exact: true }).click();
    await supervisor.locator('#oversight-cases').getByRole('link').first().click();
    expect(new URL(supervisor.url()).pathname).toBe(`/oversight/cases/${caseId}`);
    const timeline = await supervisor.locator('main').textContent();
    expect(timeline).toContain('case.transitioned');
    expect(timeline).not.toContain('Budi');
    expect(timeline).not.toContain('officer-1042');

    // The case worker follows it in their own words, and may not open the supervisor's pages.
    await caseWorker.goto(`${consoleUrl}/referrals/${caseId}`);
    await expect(caseWorker.locator('#referral-status').textContent()).resolves.toBe('คัดแยกผู้เสียหาย');
    const refused = await caseWorker.goto(`${consoleUrl}/oversight`);
    expect(refused?.status()).toBe(403);
    await expect(caseWorker.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'ไม่มีสิทธิ์เข้าถึงหน้านี้',
    );
    await caseWorker.goto(`${consoleUrl}/inbox`);
    await screenshot(caseWorker, 'case-worker-inbox');

    // Everyone's inbox: the NGO was told of its offer, reads it, and the notice's link opens its offers.
    await ngo.getByRole('link', { name: 'กล่องข้อความ' }).click();
    const unread = Number(/\d+/.exec((await ngo.locator('h1 .state').textContent()) ?? '')?.[0]);
    expect(unread).toBeGreaterThan(0);
    await ngo.locator('#inbox li.unread').first().getByRole('button', { name: 'อ่านแล้ว' }).click();
    await expect(ngo.locator('h1 .state').textContent()).resolves.toContain(String(unread - 1));
    await ngo.locator('#inbox a').first().click();
    expect(new URL(ngo.url()).pathname).toBe('/offers');
  });

  it("shows the administrator every service's dead letters", async () => {
    const admin = await signedIn('admin-1');
    expect(new URL(admin.url()).pathname).toBe('/admin/dead-letters');
    await expect(admin.getByRole('heading', { level: 2 }).allTextContents()).resolves.toEqual([
      'intake',
      'routing',
      'province',
      'notifications',
      'oversight',
    ]);
    await screenshot(admin, 'admin-dead-letters');

    // The queue board (Bull Board) over every service's queues, for administrators only.
    await admin.getByRole('link', { name: 'คิวงาน' }).click();
    await admin.waitForURL(`${consoleUrl}/admin/queues`);
    await admin.getByText('deadlines').first().waitFor({ timeout: 15_000 });
    await screenshot(admin, 'admin-queues');
    const coordinator = await signedIn('coordinator-tak-1');
    const refused = await coordinator.goto(`${consoleUrl}/admin/queues`);
    expect(refused?.status()).toBe(403);
    await expect(coordinator.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'ไม่มีสิทธิ์เข้าถึงหน้านี้',
    );
    const forged = await admin.request.put(
      `${consoleUrl}/admin/queues/api/queues/province:deadlines/clean/failed`,
      {
        headers: { origin: 'https://elsewhere.example' },
      },
    );
    expect(forged.status()).toBe(403);
  });

  it("lets a coordinator resolve an escalation, record a court's extension of the s.29 hold and a follow-up visit", async () => {
    const acceptanceWithin = async (amounts: number[], unit: string) => {
      const changed = await system.request(
        'province',
        'PUT',
        '/admin/deadline-policies/provincial-acceptance',
        { amounts, urgentAmounts: amounts, unit, description: 'Short, for the test' },
        'admin',
      );
      expect(changed.status).toBe(200);
    };
    const TAK = coordinatorOf('TH-63');
    const moveCase = async (id: string, event: string) =>
      expect((await system.request('province', 'POST', `/cases/${id}/events`, { event }, TAK)).status).toBe(
        200,
      );

    // Nobody accepts the case in time: it is escalated.
    await acceptanceWithin([2], 'seconds');
    const submitted = await submitReferral(system);
    expect(submitted.status).toBe(201);
    const caseId = submitted.body.id;
    await eventually(async () => {
      const found = await system.request<{ escalations: { reason: string }[] }>(
        'province',
        'GET',
        `/cases/${caseId}`,
        undefined,
        TAK,
      );
      return found.body.escalations?.some(({ reason }) => reason === 'deadline-breached') || undefined;
    }, 30_000);
    await acceptanceWithin([24], 'hours');

    const coordinator = await signedIn('coordinator-tak-1');
    await coordinator.goto(`${consoleUrl}/cases/${caseId}`);
    await expect(coordinator.locator('#escalations').textContent()).resolves.toContain('เลยกำหนดเวลา');
    const resolveButtons = coordinator.getByRole('button', { name: 'ปิดเรื่องที่ยกระดับ' });
    const open = await resolveButtons.count();
    await coordinator.getByLabel('สิ่งที่ได้ดำเนินการ').first().fill('โทรแจ้งศูนย์ปฏิบัติการแล้ว รับเรื่องแทน');
    await resolveButtons.first().click();
    await expect(coordinator.locator('#escalations').textContent()).resolves.toMatch(
      /ปิดโดย coordinator-tak-1.*โทรแจ้งศูนย์ปฏิบัติการแล้ว/s,
    );
    await expect(resolveButtons.count()).resolves.toBe(open - 1);

    // Temporary protection starts the s.29 hold; a court extends it, within the 7 days the law allows.
    await moveCase(caseId, 'accept');
    await moveCase(caseId, 'start_temporary_protection');
    await coordinator.reload();
    const extendHold = async (order: string, days: string) => {
      await coordinator.getByLabel('เลขที่คำสั่งศาล').fill(order);
      await coordinator.getByLabel('จำนวนวันที่ขยาย (ไม่เกิน 7 วันรวมทั้งหมด)').fill(days);
      await coordinator.getByRole('button', { name: 'บันทึกคำสั่งศาล' }).click();
    };
    await extendHold('คร. 15/2569', '3');
    await expect(coordinator.locator('#hold-extensions').textContent()).resolves.toContain('คร. 15/2569: +3');
    await extendHold('คร. 16/2569', '5');
    await expect(coordinator.getByRole('alert').textContent()).resolves.toContain('ดำเนินการไม่ได้');
    await expect(coordinator.locator('#hold-extensions').textContent()).resolves.not.toContain('คร. 16/2569');

    // After reintegration, the planned follow-up visits are recorded one by one.
    for (const event of [
      'start_identification',
      'identify_as_victim',
      'start_reintegration',
      'start_follow_up',
    ])
      await moveCase(caseId, event);
    await coordinator.reload();
    const today = new Date().toISOString().slice(0, 10);
    await coordinator.getByLabel(/^วันที่เยี่ยม/).fill(today);
    await coordinator.getByLabel('ผลการติดตาม').selectOption('doing-well');
    await coordinator.getByRole('button', { name: 'บันทึกการเยี่ยม' }).click();
    const firstVisit = await coordinator.locator('#follow-up-visits tbody tr').first().textContent();
    expect(firstVisit).toContain(today);
    expect(firstVisit).toContain('ดำเนินชีวิตได้ดี');
    await screenshot(coordinator, 'coordinator-case-follow-up');
  });

  it("lets each person choose how they are notified, with the service's field errors in Thai", async () => {
    const coordinator = await signedIn('coordinator-bkk-1');
    await coordinator.getByRole('link', { name: 'การแจ้งเตือนของฉัน' }).click();
    expect(new URL(coordinator.url()).pathname).toBe('/preferences');
    await expect(coordinator.getByLabel('ที่อยู่อีเมล').inputValue()).resolves.toBe(
      'coordinator-bkk-1@demo.nrm-flow.example',
    );
    await expect(coordinator.getByLabel('SMS', { exact: true }).isChecked()).resolves.toBe(true);

    // E-mail chosen without an address, and a phone number that is not one: both refused, nothing saved.
    await coordinator.getByLabel('ที่อยู่อีเมล').fill('');
    await coordinator.getByLabel('หมายเลขโทรศัพท์สำหรับ SMS').fill('0812345678');
    await coordinator.getByRole('button', { name: 'บันทึก', exact: true }).click();
    await expect(coordinator.locator('#error-summary li').count()).resolves.toBe(2);
    const phoneError = await coordinator.locator('#preferences-phone-error').textContent();
    expect(phoneError).toMatch(/[\u0E00-\u0E7F]/);
    await expect(coordinator.locator('#preferences-email-error').isVisible()).resolves.toBe(true);
    await expect(coordinator.getByLabel('หมายเลขโทรศัพท์สำหรับ SMS').inputValue()).resolves.toBe('0812345678');
    await coordinator.goto(`${consoleUrl}/preferences`);
    await expect(coordinator.getByLabel('หมายเลขโทรศัพท์สำหรับ SMS').inputValue()).resolves.toBe('+66800000101');

    // Corrected, with quiet hours: saved, and shown again as saved.
    await coordinator.getByLabel('ที่อยู่อีเมล').fill('somchai@example.org');
    await coordinator.getByLabel('LINE', { exact: true }).check();
    await coordinator.getByLabel('LINE user ID').fill(`U${'a'.repeat(32)}`);
    await coordinator.getByLabel('งดรับตั้งแต่').fill('22:00');
    await coordinator.getByLabel('งดรับจนถึง').fill('07:00');
    await coordinator.getByRole('button', { name: 'บันทึก', exact: true }).click();
    await expect(coordinator.getByRole('status').textContent()).resolves.toContain('บันทึกการตั้งค่าแล้ว');
    await coordinator.reload();
    await expect(coordinator.getByLabel('ที่อยู่อีเมล').inputValue()).resolves.toBe('somchai@example.org');
    await expect(coordinator.getByLabel('LINE', { exact: true }).isChecked()).resolves.toBe(true);
    await expect(coordinator.getByLabel('งดรับตั้งแต่').inputValue()).resolves.toBe('22:00');
    await screenshot(coordinator, 'preferences');
  });

  it('switches to English, and refuses a form without the session CSRF token', async () => {
    const coordinator = await signedIn('coordinator-bkk-1');
    await coordinator.getByRole('link', { name: 'English' }).click();
    await expect(coordinator.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(coordinator.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'New and transferred cases',
    );
    const forged = await coordinator.request.post(`${consoleUrl}/sign-out`, { form: { _csrf: 'forged' } });
    expect(forged.status()).toBe(403);
  });
});
